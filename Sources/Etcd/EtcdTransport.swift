import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Sends one JSON POST to one etcd member: the seam under `EtcdClient` (URLSession in production).
public protocol EtcdTransport: Sendable {
  /// POSTs `body` to `url` with `headers`; answers the status and body, or throws when the member cannot be reached
  /// within `timeout` seconds.
  func post(url: URL, headers: [String: String], body: Data, timeout: TimeInterval) async throws -> (
    Int, Data
  )
}

/// The production transport: an ephemeral URLSession (libcurl on Linux), with a hard bound on each call.
public final class URLSessionEtcdTransport: EtcdTransport, @unchecked Sendable {
  // URLSession is thread-safe and immutable after init.
  private let session: URLSession

  public init() {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
    configuration.urlCache = nil
    configuration.httpCookieStorage = nil
    configuration.httpShouldSetCookies = false
    configuration.httpMaximumConnectionsPerHost = 8
    session = URLSession(configuration: configuration)
  }

  deinit { session.finishTasksAndInvalidate() }

  public func post(url: URL, headers: [String: String], body: Data, timeout: TimeInterval) async throws -> (
    Int, Data
  ) {
    var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
    request.httpMethod = "POST"
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    request.httpBody = body
    let once = EtcdOnce()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Int, Data), Error>) in
        once.install(continuation)
        let task = session.dataTask(with: request) { data, response, error in
          if let error {
            once.finish(.failure(EtcdTransportFailure(detail: (error as NSError).localizedDescription)))
          } else if let http = response as? HTTPURLResponse {
            once.finish(.success((http.statusCode, data ?? Data())))
          } else {
            once.finish(.failure(EtcdTransportFailure(detail: "no HTTP response")))
          }
        }
        once.attach(task)
        task.resume()
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
          once.finish(.failure(EtcdTransportFailure(detail: "timed out after \(timeout) s")))
        }
      }
    } onCancel: {
      once.finish(.failure(CancellationError()))
    }
  }
}

/// Why a member could not be reached (refused, reset, timed out).
public struct EtcdTransportFailure: Error, Sendable, CustomStringConvertible {
  public var detail: String
  public var description: String { detail }
}

/// Resumes a continuation exactly once, whichever of answer, timeout or cancellation comes first.
private final class EtcdOnce: @unchecked Sendable {
  private let lock = NSLock()
  private var continuation: CheckedContinuation<(Int, Data), Error>?
  private var task: URLSessionDataTask?
  private var done = false

  func install(_ continuation: CheckedContinuation<(Int, Data), Error>) {
    lock.withLock { self.continuation = continuation }
  }

  func attach(_ task: URLSessionDataTask) {
    let cancel = lock.withLock { () -> Bool in
      self.task = task
      return done
    }
    if cancel { task.cancel() }
  }

  func finish(_ result: Result<(Int, Data), Error>) {
    let (continuation, task) = lock.withLock {
      () -> (CheckedContinuation<(Int, Data), Error>?, URLSessionDataTask?) in
      guard !done else { return (nil, nil) }
      done = true
      defer { self.continuation = nil }
      return (self.continuation, self.task)
    }
    guard let continuation else { return }
    if case .failure = result { task?.cancel() }
    continuation.resume(with: result)
  }
}
