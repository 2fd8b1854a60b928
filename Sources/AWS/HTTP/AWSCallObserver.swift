/// One AWS operation as the executor finished it: which service and operation, how many attempts, how long, and
/// the error code when it failed.
public struct AWSCallRecord: Sendable, Hashable {
  /// The service called (`Route53`, `CloudWatch`, `SNS`).
  public var service: String
  /// The operation (`ChangeResourceRecordSets`, `DescribeAlarms`, `Publish`, ...).
  public var operation: String
  /// Attempts made, retries included.
  public var attempts: Int
  /// Seconds from the first attempt to the answer or the final failure.
  public var durationSeconds: Double
  /// Nil when the call succeeded; otherwise a short, bounded code: the service's error code (`Throttling`),
  /// or `Transport`, `Timeout`, `Credentials`, `MalformedResponse`, `InvalidRequest`, `Cancelled`.
  public var errorCode: String?

  /// A record of one finished operation.
  public init(service: String, operation: String, attempts: Int, durationSeconds: Double, errorCode: String?)
  {
    self.service = service
    self.operation = operation
    self.attempts = attempts
    self.durationSeconds = durationSeconds
    self.errorCode = errorCode
  }
}

/// Told about every AWS operation the executor finishes (metrics); called on the caller's task, keep it short.
public protocol AWSCallObserver: Sendable {
  /// One operation ended, successfully or not.
  func callCompleted(_ call: AWSCallRecord)
}

extension AWSError {
  /// A short code for counting failures by kind: the service's error code, or the kind of local failure.
  public var metricCode: String {
    switch self {
    case .service(let error): error.code
    case .transport: "Transport"
    case .timedOut: "Timeout"
    case .retriesExhausted(_, _, let last): last.metricCode
    case .credentialsUnavailable: "Credentials"
    case .malformedResponse: "MalformedResponse"
    case .notFound: "NotFound"
    case .changeNotInSync: "ChangeNotInSync"
    case .invalidRequest: "InvalidRequest"
    }
  }
}
