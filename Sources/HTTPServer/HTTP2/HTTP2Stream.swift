/// One HTTP/2 stream on the server side: the request as it arrives, then the response body waiting to be
/// framed. Touched only on its connection's queue.
final class HTTP2Stream: @unchecked Sendable {
  let id: Int32
  var method = ""
  var path = ""
  var authority = ""
  var headers = HTTPHeaders()
  var headerBytes = 0
  var body: [UInt8] = []
  var bodyTooLarge = false

  /// The response is submitted (or a handler is producing it).
  var dispatched = false
  var record: RequestRecord?
  var started: UInt64 = 0
  /// Response body bytes not yet handed to nghttp2.
  var pending: [UInt8] = []
  var pendingOffset = 0
  /// No more body bytes will be added.
  var ended = false
  /// nghttp2 was told to wait for more body bytes.
  var deferred = false
  var bytesSent = 0
  /// Producers waiting for the client to catch up.
  var waiters: [CheckedContinuation<Void, any Error>] = []

  init(id: Int32) { self.id = id }

  var unsentCount: Int { pending.count - pendingOffset }
}
