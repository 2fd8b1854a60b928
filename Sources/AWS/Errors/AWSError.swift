import Foundation

/// Everything that can go wrong talking to AWS, as values with a sentence a person can act on.
///
/// No case ever carries a secret: credentials errors name the provider and the variable, not the value.
public enum AWSError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
  /// The service answered with an error body.
  case service(AWSServiceError)
  /// The request never got an answer (connection refused or reset, DNS, TLS).
  case transport(service: String, detail: String)
  /// One attempt took longer than its per-call timeout.
  case timedOut(service: String, seconds: Double)
  /// Retrying stopped: attempts or total time ran out; `last` is the final failure.
  indirect case retriesExhausted(attempts: Int, elapsedSeconds: Double, last: AWSError)
  /// No credentials provider in the chain could supply credentials.
  case credentialsUnavailable(String)
  /// The answer could not be understood.
  case malformedResponse(service: String, detail: String)
  /// A thing Switchboard looked for does not exist (for example no hosted zone for a domain).
  case notFound(String)
  /// A Route53 change did not reach INSYNC before the deadline.
  case changeNotInSync(changeID: String, waitedSeconds: Double)
  /// The caller asked for something the API cannot do (caught before sending).
  case invalidRequest(String)

  /// The service error, if this failure (or the last retried one) came from the service.
  public var serviceError: AWSServiceError? {
    switch self {
    case .service(let error): error
    case .retriesExhausted(_, _, let last): last.serviceError
    default: nil
    }
  }

  /// The service error code (`NoSuchHostedZone`, `Throttling`, ...), if any.
  public var code: String? { serviceError?.code }

  /// A sentence a person can act on; never contains a secret.
  public var description: String {
    switch self {
    case .service(let error):
      return error.description
    case .transport(let service, let detail):
      return "Could not reach \(service): \(detail). Check the endpoint URL and the network."
    case .timedOut(let service, let seconds):
      return "\(service) did not answer within \(Self.format(seconds)) s; the call was abandoned."
    case .retriesExhausted(let attempts, let elapsed, let last):
      return
        "Gave up after \(attempts) attempt(s) in \(Self.format(elapsed)) s. Last error: \(last.description)"
    case .credentialsUnavailable(let detail):
      return "No AWS credentials: \(detail)"
    case .malformedResponse(let service, let detail):
      return "\(service) sent an answer Switchboard could not read: \(detail)"
    case .notFound(let detail):
      return detail
    case .changeNotInSync(let id, let waited):
      return "Route53 change \(id) was still PENDING after \(Self.format(waited)) s; it may still complete."
    case .invalidRequest(let detail):
      return "Invalid request: \(detail)"
    }
  }

  /// Same as `description`, for `localizedDescription`.
  public var errorDescription: String? { description }

  private static func format(_ seconds: Double) -> String { String(format: "%.1f", seconds) }
}

/// An error answer from an AWS service: what it said, and enough to quote it to AWS support.
public struct AWSServiceError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The service that answered (`Route53`, `CloudWatch`, `SNS`).
  public var service: String
  /// The error code, e.g. `NoSuchHostedZone`, `InvalidChangeBatch`, `Throttling`.
  public var code: String
  /// The service's own explanation.
  public var message: String
  /// The HTTP status of the answer.
  public var httpStatus: Int
  /// The request id to quote to AWS support.
  public var requestID: String?

  /// An error answer as parsed from the body and headers.
  public init(service: String, code: String, message: String, httpStatus: Int, requestID: String?) {
    self.service = service
    self.code = code
    self.message = message
    self.httpStatus = httpStatus
    self.requestID = requestID
  }

  /// A sentence a person can act on; never contains a secret.
  public var description: String {
    var text = "\(service) refused the request: \(code) (HTTP \(httpStatus))"
    if !message.isEmpty { text += ": \(message)" }
    if let requestID, !requestID.isEmpty { text += " [request id \(requestID)]" }
    if code == "SignatureDoesNotMatch" || code == "InvalidClientTokenId" {
      text += ". Check the access key id and secret access key Switchboard uses."
    } else if code == "AccessDenied" || code == "AccessDeniedException" {
      text += ". Grant the action in the IAM policy (see docs/iam-policy.json)."
    }
    return text
  }
}
