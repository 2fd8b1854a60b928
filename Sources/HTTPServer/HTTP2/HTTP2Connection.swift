import CNGHTTP2
import Dispatch
import Glibc

/// One HTTP/2 connection (h2 over TLS, or h2c with prior knowledge) through nghttp2's server session: frames
/// in from the socket, each complete request stream to the same Router and handlers as HTTP/1.1, responses
/// (fixed or streamed) out as flow control allows. All state lives on its worker's queue.
final class HTTP2Connection: ServerConnection, @unchecked Sendable {
  /// The client connection preface that starts every HTTP/2 connection.
  static let preface: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
  /// Read-only after creation; nghttp2 copies what it needs into each session.
  nonisolated(unsafe) private static let callbacks = HTTP2Callbacks.make()
  /// Unsent output beyond which no more frames are pulled from nghttp2 until the socket drains.
  private static let outputHighWaterMark = 256 * 1024

  let fd: Int32
  let transport: Transport
  let worker: Worker
  let server: HTTPServer
  let remoteAddress: String

  private var session: OpaquePointer?
  private var streams: [Int32: HTTP2Stream] = [:]
  private var events: SocketEvents?
  private var input: UnsafeMutableRawBufferPointer
  private var output: [UInt8] = []
  private var outputOffset = 0
  private var lastWriteProgress: UInt64 = 0
  private var idleDeadline: UInt64 = .max
  private var lastReadProgress: UInt64 = 0
  /// Request body bytes held for streams not yet dispatched, across the connection.
  private var bufferedBodyBytes = 0
  private var closed = false
  private var draining = false
  private var pumping = false

  init(fd: Int32, transport: Transport, worker: Worker, server: HTTPServer, remoteAddress: String) {
    self.fd = fd
    self.transport = transport
    self.worker = worker
    self.server = server
    self.remoteAddress = remoteAddress
    input = UnsafeMutableRawBufferPointer.allocate(byteCount: 32 * 1024, alignment: 16)
  }

  deinit {
    if let session { nghttp2_session_del(session) }
    input.deallocate()
  }

  /// Takes over the socket's events, sends SETTINGS, and feeds the bytes already read (the preface).
  func start(adopting events: SocketEvents, initialInput: [UInt8]) {
    self.events = events
    var created: OpaquePointer?
    guard
      nghttp2_session_server_new(&created, Self.callbacks, Unmanaged.passUnretained(self).toOpaque()) == 0,
      let created
    else { return close() }
    session = created
    let limits = server.configuration.limits
    var settings = [
      nghttp2_settings_entry(
        settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: 100),
      nghttp2_settings_entry(
        settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue),
        value: UInt32(limits.maxHeaderSectionBytes)),
      nghttp2_settings_entry(
        settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: 1 << 20),
    ]
    _ = nghttp2_submit_settings(created, UInt8(NGHTTP2_FLAG_NONE.rawValue), &settings, settings.count)
    _ = nghttp2_session_set_local_window_size(created, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, 1 << 24)
    events.whenReadable { [weak self] in self?.onReadable() }
    idleDeadline = Self.after(server.configuration.headerReadTimeout)
    lastReadProgress = DispatchTime.now().uptimeNanoseconds
    if !initialInput.isEmpty {
      let consumed = initialInput.withUnsafeBufferPointer {
        nghttp2_session_mem_recv(created, $0.baseAddress, $0.count)
      }
      if consumed < 0 { return close() }
    }
    pump()
  }

  private static func after(_ duration: Duration) -> UInt64 {
    DispatchTime.now().uptimeNanoseconds &+ UInt64(duration.nanoseconds)
  }

  // MARK: - Reading

  private func onReadable() {
    guard !closed, let session else { return }
    let n = transport.receive(fd, input.baseAddress!, input.count)
    if n > 0 {
      lastReadProgress = DispatchTime.now().uptimeNanoseconds
      let consumed = nghttp2_session_mem_recv(
        session, input.baseAddress!.assumingMemoryBound(to: UInt8.self), n)
      if consumed < 0 {
        // A protocol error: nghttp2 queued a GOAWAY; send it, then close this connection only.
        pump()
        return close()
      }
      pump()
      if transport.hasBufferedInput {
        worker.queue.async { [self] in if events?.isReadingPaused == false, !closed { onReadable() } }
      }
    } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
      close()
    }
  }

  // MARK: - Requests (called from nghttp2 callbacks)

  func beginStream(_ id: Int32) {
    streams[id] = HTTP2Stream(id: id)
    idleDeadline = .max
  }

  /// Collects one header field; false resets the stream (header list too large).
  func header(_ id: Int32, _ name: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let stream = streams[id] else { return true }
    let limits = server.configuration.limits
    stream.headerBytes += name.count + value.count + 32
    if stream.headerBytes > limits.maxHeaderSectionBytes || stream.headers.count >= limits.maxHeaderCount {
      return false
    }
    let nameText = String(decoding: name, as: UTF8.self)
    let valueText = String(decoding: value, as: UTF8.self)
    if name.first == UInt8(ascii: ":") {
      switch nameText {
      case ":method": stream.method = valueText
      case ":path": stream.path = valueText
      case ":authority": stream.authority = valueText
      default: break
      }
    } else {
      stream.headers.add(name: nameText, value: valueText)
    }
    return true
  }

  /// Collects request body bytes; one body over the limit gets a 413, and bodies held at once on one
  /// connection are capped at 8 bodies' worth (beyond, new data refuses its stream) so memory stays bounded.
  func bodyChunk(_ id: Int32, _ data: UnsafeBufferPointer<UInt8>) {
    guard let stream = streams[id], !stream.bodyTooLarge, let session else { return }
    let limit = server.configuration.limits.maxBodyBytes
    if stream.body.count + data.count > limit {
      stream.bodyTooLarge = true
      bufferedBodyBytes -= stream.body.count
      stream.body = []
    } else if bufferedBodyBytes + data.count > 8 * limit {
      _ = nghttp2_submit_rst_stream(
        session, UInt8(NGHTTP2_FLAG_NONE.rawValue), id, NGHTTP2_REFUSED_STREAM.rawValue)
    } else {
      stream.body.append(contentsOf: data)
      bufferedBodyBytes += data.count
    }
  }

  /// The client finished sending a request: route it like HTTP/1.1 would.
  func requestComplete(_ id: Int32) {
    guard let stream = streams[id], !stream.dispatched else { return }
    stream.dispatched = true
    stream.started = DispatchTime.now().uptimeNanoseconds
    var headers = stream.headers
    if !stream.authority.isEmpty, !headers.contains("host") {
      headers.add(name: "host", value: stream.authority)
    }
    let request = Request(
      method: Method(stream.method), target: stream.path, version: .http2, headers: headers,
      body: stream.body,
      remoteAddress: remoteAddress, scheme: transport.scheme)
    bufferedBodyBytes -= stream.body.count
    stream.body = []
    if stream.bodyTooLarge {
      let limit = server.configuration.limits.maxBodyBytes
      return respond(
        stream, request,
        ProblemDetails(status: .contentTooLarge, detail: "The request body is over the \(limit)-byte limit.")
          .response, pattern: nil)
    }
    switch server.dispatcher.dispatch(request) {
    case .ready(let request, let response, let pattern):
      respond(stream, request, response, pattern: pattern)
    case .pending(let pending):
      let id = stream.id
      pending.run(on: worker.queue) { request, response, pattern in
        guard !self.closed, let stream = self.streams[id], !stream.ended else { return }
        self.respond(stream, request, response, pattern: pattern)
        self.pump()
      }
    }
  }

  // MARK: - Responses

  /// Submits the response HEADERS and, when there is a body, a data source that frames it.
  private func respond(_ stream: HTTP2Stream, _ request: Request, _ response: Response, pattern: String?) {
    guard let session else { return }
    let sendsBody = request.method != .HEAD && response.status.allowsBody
    stream.record = RequestRecord(
      method: request.method, target: request.target, routePattern: pattern, status: response.status.code,
      bodyBytes: 0, durationNanoseconds: 0, remoteAddress: remoteAddress, version: .http2)
    var fields: [(String, String)] = [(":status", String(response.status.code))]
    let dateLine = worker.dateCache.current()
    fields.append(("date", String(decoding: dateLine.dropFirst(6).dropLast(2), as: UTF8.self)))
    for field in response.headers where !Self.isConnectionSpecific(field.name) {
      fields.append((field.name.lowercased(), field.value))
    }
    if response.status.allowsBody, let length = response.fixedLength {
      fields.append(("content-length", String(length)))
    }
    switch response.body {
    case .empty:
      stream.ended = true
    case .bytes(let bytes):
      stream.pending = sendsBody ? bytes : []
      stream.ended = true
    case .stream(let producer):
      if sendsBody {
        let id = stream.id
        let writer = HTTP2BodyWriter(connection: self, streamID: id)
        Task {
          var failure: (any Error)?
          do { try await producer(writer) } catch { failure = error }
          let ended = failure
          self.worker.queue.async { self.endStream(id, error: ended) }
        }
      } else {
        stream.ended = true
      }
    }
    let result = Self.withNameValues(fields) { nva, count -> Int32 in
      if !sendsBody || (stream.ended && stream.pending.isEmpty) {
        return nghttp2_submit_response(session, stream.id, nva, count, nil)
      }
      var provider = nghttp2_data_provider(
        source: nghttp2_data_source(ptr: nil), read_callback: HTTP2Callbacks.readBody)
      return nghttp2_submit_response(session, stream.id, nva, count, &provider)
    }
    if result != 0 {
      _ = nghttp2_submit_rst_stream(
        session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream.id, NGHTTP2_INTERNAL_ERROR.rawValue)
    }
  }

  static func isConnectionSpecific(_ name: String) -> Bool {
    name.equalsIgnoringASCIICase("connection") || name.equalsIgnoringASCIICase("transfer-encoding")
      || name.equalsIgnoringASCIICase("keep-alive") || name.equalsIgnoringASCIICase("upgrade")
      || name.equalsIgnoringASCIICase("proxy-connection") || name.equalsIgnoringASCIICase("content-length")
  }

  /// Lays the fields out in one buffer and calls `body` with nghttp2 name/value pairs pointing into it.
  private static func withNameValues<T>(
    _ fields: [(String, String)], _ body: (UnsafePointer<nghttp2_nv>, Int) -> T
  ) -> T {
    var bytes: [UInt8] = []
    var spans: [(Int, Int, Int, Int)] = []
    for (name, value) in fields {
      let nameStart = bytes.count
      bytes.append(contentsOf: name.utf8)
      let valueStart = bytes.count
      bytes.append(contentsOf: value.utf8)
      spans.append((nameStart, valueStart - nameStart, valueStart, bytes.count - valueStart))
    }
    bytes.append(0)
    return bytes.withUnsafeMutableBufferPointer { buffer in
      let base = buffer.baseAddress!
      let nva = spans.map { span in
        nghttp2_nv(
          name: base + span.0, value: base + span.2, namelen: span.1, valuelen: span.3,
          flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue))
      }
      return nva.withUnsafeBufferPointer { body($0.baseAddress!, $0.count) }
    }
  }

  /// Called by nghttp2 when it may send DATA for a stream.
  func readBody(
    _ id: Int32, _ buffer: UnsafeMutablePointer<UInt8>, _ length: Int, _ flags: UnsafeMutablePointer<UInt32>
  ) -> Int {
    guard let stream = streams[id] else { return Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue) }
    let available = stream.unsentCount
    if available == 0 {
      if stream.ended {
        flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
        return 0
      }
      stream.deferred = true
      return Int(NGHTTP2_ERR_DEFERRED.rawValue)
    }
    let count = min(available, length)
    stream.pending.withUnsafeBytes { raw in
      UnsafeMutableRawPointer(buffer).copyMemory(
        from: raw.baseAddress! + stream.pendingOffset, byteCount: count)
    }
    stream.pendingOffset += count
    stream.bytesSent += count
    if stream.pendingOffset == stream.pending.count {
      stream.pending.removeAll(keepingCapacity: true)
      stream.pendingOffset = 0
      if stream.ended { flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue }
    }
    if !stream.waiters.isEmpty, stream.unsentCount <= server.configuration.streamHighWaterMark {
      let waiters = stream.waiters
      stream.waiters = []
      for waiter in waiters { waiter.resume() }
    }
    return count
  }

  /// Queues one piece of a streamed body; resumes the producer now, or once the client has caught up.
  func streamWrite(_ id: Int32, _ bytes: [UInt8], _ continuation: CheckedContinuation<Void, any Error>) {
    guard !closed, !draining, let session, let stream = streams[id], !stream.ended else {
      return continuation.resume(throwing: ConnectionClosed())
    }
    if bytes.isEmpty { return continuation.resume() }
    stream.pending.append(contentsOf: bytes)
    if stream.deferred {
      stream.deferred = false
      _ = nghttp2_session_resume_data(session, id)
    }
    if stream.unsentCount > server.configuration.streamHighWaterMark {
      stream.waiters.append(continuation)
    } else {
      continuation.resume()
    }
    pump()
  }

  /// The producer returned: end the stream cleanly, or reset it when the producer failed.
  private func endStream(_ id: Int32, error: (any Error)?) {
    guard !closed, let session, let stream = streams[id] else { return }
    if error == nil || draining {
      stream.ended = true
      if stream.deferred {
        stream.deferred = false
        _ = nghttp2_session_resume_data(session, id)
      }
    } else {
      _ = nghttp2_submit_rst_stream(
        session, UInt8(NGHTTP2_FLAG_NONE.rawValue), id, NGHTTP2_INTERNAL_ERROR.rawValue)
    }
    pump()
  }

  func streamClosed(_ id: Int32) {
    guard let stream = streams.removeValue(forKey: id) else { return }
    bufferedBodyBytes -= stream.body.count
    stream.body = []
    let waiters = stream.waiters
    stream.waiters = []
    for waiter in waiters { waiter.resume(throwing: ConnectionClosed()) }
    stream.ended = true
    if var record = stream.record {
      record.bodyBytes = stream.bytesSent
      record.durationNanoseconds = DispatchTime.now().uptimeNanoseconds &- stream.started
      server.observer?.requestCompleted(record)
    }
    if streams.isEmpty { idleDeadline = Self.after(server.configuration.idleTimeout) }
  }

  // MARK: - Writing

  /// Pulls frames from nghttp2 into one buffer and writes them (HEADERS and DATA together); closes once the
  /// session has nothing left to read or write.
  private func pump() {
    guard !closed, !pumping, let session else { return }
    pumping = true
    defer { pumping = false }
    while output.count - outputOffset < Self.outputHighWaterMark {
      var data: UnsafePointer<UInt8>?
      let n = nghttp2_session_mem_send(session, &data)
      if n < 0 {
        pumping = false
        return close()
      }
      guard n > 0, let data else { break }
      output.append(contentsOf: UnsafeBufferPointer(start: data, count: n))
    }
    if outputOffset < output.count { lastWriteProgress = DispatchTime.now().uptimeNanoseconds }
    switch transport.drain(fd, output, from: &outputOffset) {
    case .sent:
      break
    case .wouldBlock:
      lastWriteProgress = DispatchTime.now().uptimeNanoseconds
      armWrite()
      return
    case .failed:
      pumping = false
      return close()
    }
    output.removeAll(keepingCapacity: output.capacity <= 256 * 1024)
    outputOffset = 0
    if let events, events.isWaitingForWrite {
      events.stopWaitingForWrite()
      events.resumeReading()
    }
    if nghttp2_session_want_write(session) != 0 {
      // More frames became sendable while we wrote (flow control, deferred data): go round again.
      worker.queue.async { [self] in pump() }
    } else if nghttp2_session_want_read(session) == 0 {
      transport.closeNotify()
      pumping = false
      close()
    }
  }

  private func armWrite() {
    guard let events, !events.isWaitingForWrite else { return }
    events.pauseReading()
    events.waitForWrite { [weak self] in
      guard let self else { return }
      let before = outputOffset
      pump()
      if outputOffset != before || self.events?.isWaitingForWrite != true {
        lastWriteProgress = DispatchTime.now().uptimeNanoseconds
      }
    }
  }

  // MARK: - Closing

  /// Graceful stop: GOAWAY, in-flight streams finish, streamed bodies end; then the connection closes.
  func beginDrain() {
    guard !closed, !draining, let session else { return }
    draining = true
    _ = nghttp2_submit_goaway(
      session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nghttp2_session_get_last_proc_stream_id(session),
      NGHTTP2_NO_ERROR.rawValue, nil, 0)
    for stream in streams.values {
      let waiters = stream.waiters
      stream.waiters = []
      for waiter in waiters { waiter.resume(throwing: ConnectionClosed()) }
    }
    pump()
  }

  /// Enforces the idle (no open streams) and write deadlines; a client that lets its flow-control window sit
  /// at zero while responses wait counts as a blocked write.
  func checkDeadline(now: UInt64) {
    if closed { return }
    let blocked = events?.isWaitingForWrite == true || streams.values.contains { $0.unsentCount > 0 }
    if blocked, now &- lastWriteProgress > UInt64(server.configuration.writeTimeout.nanoseconds) {
      return close()
    }
    if streams.isEmpty, now >= idleDeadline { return close() }
    // Requests that stopped arriving halfway (slowloris over HTTP/2) hold the connection no longer than a body may.
    if streams.values.contains(where: { !$0.dispatched }),
      now &- lastReadProgress > UInt64(server.configuration.bodyReadTimeout.nanoseconds)
    {
      close()
    }
  }

  /// Closes at once: cancels the sources (the descriptor is closed when the last one is gone).
  func close() {
    guard !closed else { return }
    closed = true
    for stream in streams.values {
      let waiters = stream.waiters
      stream.waiters = []
      for waiter in waiters { waiter.resume(throwing: ConnectionClosed()) }
    }
    release(events)
    events = nil
  }
}
