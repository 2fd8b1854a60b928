import Foundation
import Glibc

/// Streams one long POST (etcd's `/v3/watch`): the seam under `EtcdClient.watch`.
public protocol EtcdStreamingTransport: Sendable {
  /// POSTs `body` to `url` and hands `onLine` each newline-terminated line of the streamed answer, until the member
  /// ends the stream, `onLine` answers false, or the task is cancelled (returns); throws `EtcdTransportFailure`
  /// when the member cannot be reached within `timeout` seconds, answers other than 200, or the connection breaks.
  func stream(
    url: URL, headers: [String: String], body: Data, timeout: TimeInterval,
    onLine: @escaping @Sendable (Data) -> Bool
  ) async throws
}

extension EtcdSocketTransport: EtcdStreamingTransport {
  /// On a connection of its own (never pooled) and a thread of its own, as long as the stream lasts.
  public func stream(
    url: URL, headers: [String: String], body: Data, timeout: TimeInterval,
    onLine: @escaping @Sendable (Data) -> Bool
  ) async throws {
    let cancellation = EtcdCallCancellation()
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
        Thread.detachNewThread {
          continuation.resume(
            with: Result {
              try self.performStream(
                url: url, headers: headers, body: body, timeout: timeout, cancellation: cancellation,
                onLine: onLine)
            })
        }
      }
    } onCancel: {
      cancellation.cancel()
    }
  }

  private func performStream(
    url: URL, headers: [String: String], body: Data, timeout: TimeInterval,
    cancellation: EtcdCallCancellation,
    onLine: (Data) -> Bool
  ) throws {
    let (host, port, secure) = try Self.member(of: url)
    let deadline = EtcdDeadline(seconds: timeout)
    let connection = try EtcdTLSConnection.open(
      host: host, port: port, tls: secure ? tls : nil, deadline: deadline)
    guard cancellation.attach(connection) else { return }
    defer { cancellation.detach() }
    var pending: [UInt8] = []
    var stopped = false
    do {
      try connection.send(
        Self.request(url: url, host: host, port: port, headers: headers, body: body), deadline: deadline)
      let status = try connection.stream(
        headDeadline: deadline, isStopped: { stopped || cancellation.isCancelled }
      ) { bytes in
        pending += bytes
        while !stopped, let newline = pending.firstIndex(of: 10) {
          let line = pending[..<newline]
          if !line.allSatisfy({ $0 == 13 || $0 == 32 }) { stopped = !onLine(Data(line)) }
          pending.removeSubrange(...newline)
        }
      }
      if status != 200 && !cancellation.isCancelled && !stopped {
        throw EtcdTransportFailure(detail: "the watch was answered with HTTP \(status)")
      }
    } catch {
      if cancellation.isCancelled { return }
      throw error
    }
  }
}
