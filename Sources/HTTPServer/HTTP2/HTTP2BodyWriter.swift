/// The streamed-body writer of one HTTP/2 stream: each write becomes DATA frames, sent as flow control allows.
struct HTTP2BodyWriter: ResponseBodyWriter {
  let connection: HTTP2Connection
  let streamID: Int32

  func write(_ bytes: [UInt8]) async throws {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
      connection.worker.queue.async { connection.streamWrite(streamID, bytes, continuation) }
    }
  }
}
