import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The production transport: URLSession (libcurl on Linux) with a hard per-call timeout.
public final class URLSessionTransport: AWSHTTPTransport, @unchecked Sendable {
  // URLSession is thread-safe; it is immutable after init.
  private let session: URLSession

  /// A transport with its own ephemeral session (no cache, no cookies).
  public init() {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
    configuration.urlCache = nil
    configuration.httpCookieStorage = nil
    configuration.httpShouldSetCookies = false
    session = URLSession(configuration: configuration)
  }

  deinit { session.finishTasksAndInvalidate() }

  /// Sends once; a timeout bounds the whole exchange, not only idle time.
  public func send(
    method: String, url: URL, headers: [(String, String)], body: Data, timeout: TimeInterval, service: String
  ) async throws -> AWSHTTPResponse {
    var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
    request.httpMethod = method
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    if !body.isEmpty || method == "POST" || method == "PUT" { request.httpBody = body }
    let outcome = OnceBox()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation {
        (continuation: CheckedContinuation<AWSHTTPResponse, Error>) in
        outcome.install(continuation)
        let task = session.dataTask(with: request) { data, response, error in
          if let error {
            let nsError = error as NSError
            if nsError.code == NSURLErrorTimedOut {
              outcome.finish(.failure(AWSError.timedOut(service: service, seconds: timeout)))
            } else {
              outcome.finish(
                .failure(AWSError.transport(service: service, detail: nsError.localizedDescription)))
            }
            return
          }
          guard let http = response as? HTTPURLResponse else {
            outcome.finish(.failure(AWSError.transport(service: service, detail: "no HTTP response")))
            return
          }
          var lowered: [String: String] = [:]
          for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { lowered[key.lowercased()] = value }
          }
          outcome.finish(
            .success(AWSHTTPResponse(status: http.statusCode, headers: lowered, body: data ?? Data())))
        }
        outcome.attach(task)
        task.resume()
        // libcurl's timeout is an idle timeout; this makes it a bound on the whole call.
        let deadline = DispatchTime.now() + timeout
        DispatchQueue.global().asyncAfter(deadline: deadline) {
          if outcome.finish(.failure(AWSError.timedOut(service: service, seconds: timeout))) { task.cancel() }
        }
      }
    } onCancel: {
      outcome.cancel()
    }
  }
}

/// Resumes a continuation exactly once, whichever of answer, timeout or cancellation comes first.
private final class OnceBox: @unchecked Sendable {
  private let lock = NSLock()
  private var continuation: CheckedContinuation<AWSHTTPResponse, Error>?
  private var task: URLSessionDataTask?
  private var cancelled = false

  func install(_ continuation: CheckedContinuation<AWSHTTPResponse, Error>) {
    lock.lock()
    if cancelled {
      lock.unlock()
      continuation.resume(throwing: CancellationError())
      return
    }
    self.continuation = continuation
    lock.unlock()
  }

  func attach(_ task: URLSessionDataTask) {
    lock.lock()
    self.task = task
    let cancelNow = cancelled
    lock.unlock()
    if cancelNow { task.cancel() }
  }

  @discardableResult
  func finish(_ result: Result<AWSHTTPResponse, Error>) -> Bool {
    lock.lock()
    guard let continuation else {
      lock.unlock()
      return false
    }
    self.continuation = nil
    lock.unlock()
    continuation.resume(with: result)
    return true
  }

  func cancel() {
    lock.lock()
    cancelled = true
    let task = self.task
    lock.unlock()
    task?.cancel()
    finish(.failure(CancellationError()))
  }
}
