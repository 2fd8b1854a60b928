import Foundation
import Logging

/// Signs, sends and retries requests to one AWS service, and turns error answers into `AWSError`.
public struct AWSRequestExecutor: Sendable {
  /// The service this executor talks to.
  public let endpoint: AWSServiceEndpoint
  /// Where signing credentials come from (asked before every attempt).
  public let credentials: any AWSCredentialProvider
  /// How requests are sent.
  public let transport: any AWSHTTPTransport
  /// When and how failed attempts are retried.
  public let retry: RetryPolicy
  /// Told about every finished operation (metrics), when set.
  public let observer: (any AWSCallObserver)?
  private let logger: Logger

  /// An executor for one service endpoint.
  public init(
    endpoint: AWSServiceEndpoint, credentials: any AWSCredentialProvider,
    transport: any AWSHTTPTransport = URLSessionTransport(), retry: RetryPolicy = .standard,
    observer: (any AWSCallObserver)? = nil, logger: Logger = Logger(label: "switchboard.aws")
  ) {
    self.endpoint = endpoint
    self.credentials = credentials
    self.transport = transport
    self.retry = retry
    self.observer = observer
    self.logger = logger
  }

  /// Sends a request, retrying what the policy allows; returns the 2xx answer or throws `AWSError`.
  ///
  /// `action` names the operation in logs and errors.
  public func send(
    action: String, method: String, path: String, query: [(String, String)] = [], body: Data = Data(),
    contentType: String, extraHeaders: [(String, String)] = []
  ) async throws -> AWSHTTPResponse {
    let started = ContinuousClock.now
    var attempts = 0
    do {
      let response = try await sendRetrying(
        action: action, method: method, path: path, query: query, body: body, contentType: contentType,
        extraHeaders: extraHeaders, started: started, attempt: &attempts)
      report(action: action, attempts: attempts, started: started, errorCode: nil)
      return response
    } catch {
      let code = (error as? AWSError)?.metricCode ?? (error is CancellationError ? "Cancelled" : "Unknown")
      report(action: action, attempts: attempts, started: started, errorCode: code)
      throw error
    }
  }

  private func report(action: String, attempts: Int, started: ContinuousClock.Instant, errorCode: String?) {
    guard let observer else { return }
    observer.callCompleted(
      AWSCallRecord(
        service: endpoint.serviceName, operation: action, attempts: attempts,
        durationSeconds: Self.seconds(ContinuousClock.now - started), errorCode: errorCode))
  }

  private func sendRetrying(
    action: String, method: String, path: String, query: [(String, String)], body: Data, contentType: String,
    extraHeaders: [(String, String)], started: ContinuousClock.Instant, attempt: inout Int
  ) async throws -> AWSHTTPResponse {
    while true {
      attempt += 1
      let elapsedBefore = Self.seconds(ContinuousClock.now - started)
      let timeout = max(0.1, min(retry.perCallTimeout, retry.maxTotalTime - elapsedBefore))
      let failure: AWSError
      do {
        let response = try await sendOnce(
          method: method, path: path, query: query, body: body, contentType: contentType,
          extraHeaders: extraHeaders, timeout: timeout)
        if (200..<300).contains(response.status) {
          logger.debug(
            "aws call",
            metadata: ["service": "\(endpoint.serviceName)", "action": "\(action)", "attempt": "\(attempt)"])
          return response
        }
        failure = .service(AWSErrorParser.parse(response, service: endpoint.serviceName))
      } catch let error as AWSError {
        failure = error
      } catch is CancellationError {
        throw CancellationError()
      } catch {
        failure = .transport(service: endpoint.serviceName, detail: String(describing: error))
      }
      let elapsed = Self.seconds(ContinuousClock.now - started)
      switch retry.decide(
        after: failure, attempt: attempt, elapsed: elapsed, random: Double.random(in: 0..<1))
      {
      case .giveUp:
        logger.info(
          "aws call failed",
          metadata: [
            "service": "\(endpoint.serviceName)", "action": "\(action)", "attempt": "\(attempt)",
            "error": "\(failure.description)",
          ])
        if attempt > 1 || RetryPolicy.isRetryable(failure) {
          throw AWSError.retriesExhausted(attempts: attempt, elapsedSeconds: elapsed, last: failure)
        }
        throw failure
      case .retry(let delay):
        logger.debug(
          "aws call retried",
          metadata: [
            "service": "\(endpoint.serviceName)", "action": "\(action)", "attempt": "\(attempt)",
            "delay": "\(delay)", "error": "\(failure.description)",
          ])
        try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
      }
    }
  }

  private func sendOnce(
    method: String, path: String, query: [(String, String)], body: Data, contentType: String,
    extraHeaders: [(String, String)], timeout: TimeInterval
  ) async throws -> AWSHTTPResponse {
    let creds = try await credentials.credentials()
    let date = Date()
    let payloadHash = Hashing.sha256Hex(body)
    var headers: [(String, String)] =
      [
        ("Content-Type", contentType),
        ("Host", endpoint.hostHeader),
        ("X-Amz-Date", SigV4Signer.amzDate(date)),
        ("X-Amz-Content-Sha256", payloadHash),
      ] + extraHeaders
    if let token = creds.sessionToken { headers.append(("X-Amz-Security-Token", token)) }
    let signer = SigV4Signer(service: endpoint.signingName, region: endpoint.region)
    let authorization = signer.authorization(
      SigV4Signer.Request(
        method: method, path: path, query: query, headers: headers, payloadHash: payloadHash),
      credentials: creds, date: date)
    // URLSession writes Host itself from the URL, with the same value as signed.
    var wire = headers.filter { $0.0 != "Host" }
    wire.append(("Authorization", authorization))
    let url = try requestURL(path: path, query: query)
    return try await transport.send(
      method: method, url: url, headers: wire, body: body, timeout: timeout, service: endpoint.serviceName)
  }

  private func requestURL(path: String, query: [(String, String)]) throws -> URL {
    var base = endpoint.url.absoluteString
    while base.hasSuffix("/") { base.removeLast() }
    var text = base + (path.hasPrefix("/") ? path : "/" + path)
    if !query.isEmpty { text += "?" + URIEncoding.formEncode(query) }
    guard let url = URL(string: text) else {
      throw AWSError.invalidRequest("cannot build a URL from \(text)")
    }
    return url
  }

  private static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }
}
