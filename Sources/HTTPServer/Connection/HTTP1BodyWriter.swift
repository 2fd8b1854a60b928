/// The streamed-body writer of an HTTP/1.1 connection: each write becomes one chunk, sent at once.
struct HTTP1BodyWriter: ResponseBodyWriter {
  let connection: HTTP1Connection

  func write(_ bytes: [UInt8]) async throws {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
      connection.worker.queue.async { connection.streamWrite(bytes, continuation) }
    }
  }
}
