import Dispatch
import Glibc

/// One HTTP/1.x connection: reads into a fixed buffer, parses requests in order, runs their handlers,
/// and writes responses (pipelined ones in a single write). All state lives on its worker's queue.
final class HTTP1Connection: ServerConnection, @unchecked Sendable {
  enum Phase {
    /// Reading and parsing requests.
    case reading
    /// An asynchronous handler is producing the response; later requests wait in the buffer.
    case awaitingHandler
    /// A streamed body is being written.
    case streaming
    /// The last response is out; waiting for the peer to close after our FIN (a polite close).
    case lingering
    case closed
  }

  enum Deadline {
    case none, header, idle, body, linger
  }

  let fd: Int32
  let worker: Worker
  let server: HTTPServer
  let remoteAddress: String
  /// Plain socket or TLS session.
  let transport: Transport

  /// The socket's read/write readiness (nil before `start` and after a hand-off to HTTP/2).
  private var events: SocketEvents?
  private var peerClosed = false

  private var input: UnsafeMutableRawBufferPointer
  private var inputStart = 0
  private var inputEnd = 0
  private let maxInputCapacity: Int
  private var parser: HTTP1RequestParser

  private var head: RequestHead?
  private var body: [UInt8] = []
  private var requestStart: UInt64 = 0

  private var output: [UInt8] = []
  private var outputOffset = 0
  private var lastWriteProgress: UInt64 = 0
  private var drainWaiters: [CheckedContinuation<Void, any Error>] = []
  private var shutdownSent = false

  private(set) var phase: Phase = .reading
  private var closeAfterResponse = false
  private var draining = false
  private var deadline: UInt64 = 0
  private var deadlineKind: Deadline = .none

  private var streamChunked = false
  private var streamBytes = 0
  private var streamRecord: RequestRecord?
  /// Until the first bytes rule it out, the connection may be h2c with prior knowledge.
  private var mayBeHTTP2Preface = true

  init(fd: Int32, worker: Worker, server: HTTPServer, remoteAddress: String, transport: Transport = .plain) {
    self.fd = fd
    self.transport = transport
    self.worker = worker
    self.server = server
    self.remoteAddress = remoteAddress
    let limits = server.configuration.limits
    parser = HTTP1RequestParser(limits: limits)
    maxInputCapacity = limits.maxHeaderSectionBytes + 4096
    input = UnsafeMutableRawBufferPointer.allocate(byteCount: 8192, alignment: 16)
  }

  deinit {
    input.deallocate()
  }

  /// Starts watching the socket (or takes over the TLS handshake's events) and sets the first deadline.
  func start(adopting adopted: SocketEvents? = nil) {
    let events = adopted ?? SocketEvents(fd: fd, poller: worker.poller)
    self.events = events
    setDeadline(.header, after: server.configuration.headerReadTimeout)
    events.whenReadable { [weak self] in self?.onReadable() }
  }

  /// The socket was full and a write handler waits for room.
  private var writeBlocked: Bool { events?.isWaitingForWrite == true }

  // MARK: - Reading

  private func onReadable() {
    if phase == .closed { return }
    if phase == .lingering {
      var scratch = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
      let n = withUnsafeMutableBytes(of: &scratch) { read(fd, $0.baseAddress, $0.count) }
      if n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) { close() }
      return
    }
    guard ensureInputSpace() else {
      pauseReading()
      return
    }
    let n = transport.receive(fd, input.baseAddress! + inputEnd, input.count - inputEnd)
    if n > 0 {
      inputEnd += n
      if mayBeHTTP2Preface, handOffIfHTTP2Preface() { return }
      if phase == .reading {
        if deadlineKind == .idle { setDeadline(.header, after: server.configuration.headerReadTimeout) }
        processInput()
      }
      if transport.hasBufferedInput { readBufferedTLSInput() }
    } else if n == 0 {
      peerClosed = true
      pauseReading()
      if phase == .reading {
        processInput()
        if phase == .reading { closeWhenFlushed() }
      }
    } else if errno != EAGAIN && errno != EINTR {
      close()
    }
  }

  /// h2c with prior knowledge: a connection that opens with the HTTP/2 preface goes to the HTTP/2 code, with
  /// the socket, its read source and the bytes read so far. True while the preface is (still) matching.
  private func handOffIfHTTP2Preface() -> Bool {
    let preface = HTTP2Connection.preface
    for i in 0..<min(inputEnd, preface.count) where input[i] != preface[i] {
      mayBeHTTP2Preface = false
      return false
    }
    if inputEnd < preface.count { return true }
    mayBeHTTP2Preface = false
    guard let events, !events.isWaitingForWrite else { return false }
    self.events = nil
    phase = .closed
    deadlineKind = .none
    worker.connections[ObjectIdentifier(self)] = nil
    let connection = HTTP2Connection(
      fd: fd, transport: transport, worker: worker, server: server, remoteAddress: remoteAddress)
    worker.connections[ObjectIdentifier(connection)] = connection
    connection.start(
      adopting: events, initialInput: Array(UnsafeRawBufferPointer(rebasing: input[0..<inputEnd])))
    return true
  }

  /// Makes room at the end of the input buffer: compacts, or grows up to the header limit.
  private func ensureInputSpace() -> Bool {
    if inputEnd < input.count { return true }
    if inputStart > 0 {
      let count = inputEnd - inputStart
      if count > 0 { memmove(input.baseAddress!, input.baseAddress! + inputStart, count) }
      inputStart = 0
      inputEnd = count
      return true
    }
    guard input.count < maxInputCapacity else { return false }
    let bigger = UnsafeMutableRawBufferPointer.allocate(
      byteCount: min(input.count * 2, maxInputCapacity), alignment: 16)
    bigger.copyMemory(from: UnsafeRawBufferPointer(rebasing: input[0..<inputEnd]))
    input.deallocate()
    input = bigger
    return true
  }

  /// Parses and answers every complete request in the buffer, in order.
  private func processInput() {
    while phase == .reading, !writeBlocked {
      let available = UnsafeRawBufferPointer(rebasing: input[inputStart..<inputEnd])
      let consumed: Int
      let event: HTTP1RequestParser.Event
      do {
        (consumed, event) = try parser.next(available)
      } catch {
        fail(error)
        break
      }
      switch event {
      case .needMore:
        inputStart += consumed
        if consumed == 0 {
          if inputStart == inputEnd {
            inputStart = 0
            inputEnd = 0
          }
          flush()
          if peerClosed, phase == .reading { closeWhenFlushed() }
          return
        }
      case .head(let parsed):
        inputStart += consumed
        head = parsed
        body = []
        requestStart = DispatchTime.now().uptimeNanoseconds
        if parsed.framing != .none {
          setDeadline(.body, after: server.configuration.bodyReadTimeout)
          if parsed.expectsContinue, inputStart == inputEnd {
            output.append(contentsOf: "HTTP/1.1 100 Continue\r\n\r\n".utf8)
            flush()
          }
        } else {
          deadlineKind = .none
        }
      case .body(let range):
        body.append(contentsOf: UnsafeRawBufferPointer(rebasing: available[range]))
        inputStart += consumed
        setDeadline(.body, after: server.configuration.bodyReadTimeout)
      case .end:
        inputStart += consumed
        dispatch()
      }
    }
    flush()
  }

  // MARK: - Dispatching

  private func dispatch() {
    guard let head else { return }
    self.head = nil
    deadlineKind = .none
    let request = Request(
      method: head.method, target: head.target, version: head.version, headers: head.headers, body: body,
      remoteAddress: remoteAddress, scheme: transport.scheme)
    body = []
    if !head.keepAlive || draining || peerClosed { closeAfterResponse = true }

    switch server.dispatcher.dispatch(request) {
    case .ready(let request, let response, let pattern):
      complete(request, response, pattern: pattern)
    case .pending(let pending):
      phase = .awaitingHandler
      pending.run(on: worker.queue) { request, response, pattern in
        guard self.phase == .awaitingHandler else { return }
        self.phase = .reading
        self.complete(request, response, pattern: pattern)
        self.processInput()
      }
    }
  }

  /// Writes a response head (and fixed body) and moves on to the next request or to closing.
  private func complete(_ request: Request, _ response: Response, pattern: String?) {
    guard phase != .closed else { return }
    if draining || response.headers.containsToken("close", in: "Connection") { closeAfterResponse = true }
    let isHead = request.method == .HEAD
    let sendsBody = !isHead && response.status.allowsBody
    var record = RequestRecord(
      method: request.method, target: request.target, routePattern: pattern, status: response.status.code,
      bodyBytes: 0, durationNanoseconds: 0, remoteAddress: remoteAddress, version: request.version)

    switch response.body {
    case .empty, .bytes:
      var length = 0
      if case .bytes(let bytes) = response.body { length = bytes.count }
      ResponseEncoder.writeHead(
        status: response.status, headers: response.headers,
        contentLength: response.status.allowsBody ? length : nil, chunked: false, close: closeAfterResponse,
        dateLine: worker.dateCache.current(), into: &output)
      if sendsBody, case .bytes(let bytes) = response.body {
        output.append(contentsOf: bytes)
        record.bodyBytes = bytes.count
      }
      finish(record)
    case .stream(let producer):
      let chunked = request.version == .http1_1
      if !chunked { closeAfterResponse = true }
      ResponseEncoder.writeHead(
        status: response.status, headers: response.headers, contentLength: nil,
        chunked: chunked && response.status.allowsBody, close: closeAfterResponse,
        dateLine: worker.dateCache.current(),
        into: &output)
      guard sendsBody else {
        finish(record)
        return
      }
      phase = .streaming
      streamChunked = chunked
      streamBytes = 0
      streamRecord = record
      flush()
      let writer = HTTP1BodyWriter(connection: self)
      Task {
        var failure: (any Error)?
        do { try await producer(writer) } catch { failure = error }
        let ended = failure
        self.worker.queue.async { self.endStream(error: ended) }
      }
    }
  }

  private func finish(_ record: RequestRecord) {
    var record = record
    record.durationNanoseconds = DispatchTime.now().uptimeNanoseconds &- requestStart
    server.observer?.requestCompleted(record)
    if closeAfterResponse {
      closeWhenFlushed()
    } else {
      phase = .reading
      if inputStart == inputEnd {
        setDeadline(.idle, after: server.configuration.idleTimeout)
      } else {
        setDeadline(.header, after: server.configuration.headerReadTimeout)
      }
    }
  }

  // MARK: - Streaming

  /// Queues one piece of a streamed body; resumes the writer now, or once the client has caught up.
  func streamWrite(_ bytes: [UInt8], _ continuation: CheckedContinuation<Void, any Error>) {
    guard phase == .streaming, !draining else {
      continuation.resume(throwing: ConnectionClosed())
      return
    }
    if bytes.isEmpty {
      continuation.resume()
      return
    }
    if streamChunked {
      ResponseEncoder.appendChunkHeader(bytes.count, to: &output)
      output.append(contentsOf: bytes)
      output.append(0x0D)
      output.append(0x0A)
    } else {
      output.append(contentsOf: bytes)
    }
    streamBytes += bytes.count
    flush()
    if phase == .closed {
      continuation.resume(throwing: ConnectionClosed())
    } else if output.count - outputOffset > server.configuration.streamHighWaterMark {
      drainWaiters.append(continuation)
    } else {
      continuation.resume()
    }
  }

  private func endStream(error: (any Error)?) {
    guard phase == .streaming else { return }
    guard error == nil else {
      // An unfinished chunked body tells the client the response is incomplete.
      close()
      return
    }
    if streamChunked { output.append(contentsOf: "0\r\n\r\n".utf8) }
    if var record = streamRecord {
      record.bodyBytes = streamBytes
      streamRecord = nil
      phase = .reading
      finish(record)
    }
    if phase == .reading { resumeReading() }
    processInput()
  }

  // MARK: - Writing

  /// Writes pending output until done or the socket is full (then waits for writability, reads paused).
  private func flush() {
    if phase == .closed { return }
    switch transport.drain(fd, output, from: &outputOffset) {
    case .sent:
      break
    case .wouldBlock:
      lastWriteProgress = DispatchTime.now().uptimeNanoseconds
      armWrite()
      return
    case .failed:
      close()
      return
    }
    output.removeAll(keepingCapacity: output.capacity <= 256 * 1024)
    outputOffset = 0
    if writeBlocked {
      events?.stopWaitingForWrite()
      resumeReading()
    }
    if !drainWaiters.isEmpty {
      let waiters = drainWaiters
      drainWaiters = []
      for waiter in waiters { waiter.resume() }
    }
    if phase == .lingering, !shutdownSent {
      shutdownSent = true
      transport.closeNotify()
      Glibc.shutdown(fd, Int32(SHUT_WR))
      if peerClosed { close() }
    }
  }

  private func armWrite() {
    guard let events, !events.isWaitingForWrite else { return }
    pauseReading()
    events.waitForWrite { [weak self] in
      guard let self else { return }
      let before = self.outputOffset
      self.flush()
      if self.outputOffset != before || !self.writeBlocked {
        self.lastWriteProgress = DispatchTime.now().uptimeNanoseconds
      }
      if !self.writeBlocked, self.phase == .reading { self.processInput() }
    }
  }

  private func pauseReading() {
    events?.pauseReading()
  }

  private func resumeReading() {
    guard let events, events.isReadingPaused, !peerClosed else { return }
    events.resumeReading()
    if transport.hasBufferedInput { readBufferedTLSInput() }
  }

  /// TLS may hold decrypted bytes no socket event will announce: read them on a later turn of the queue.
  private func readBufferedTLSInput() {
    worker.queue.async { [self] in
      if events?.isReadingPaused == false, phase != .closed, phase != .lingering, transport.hasBufferedInput {
        onReadable()
      }
    }
  }

  // MARK: - Closing

  /// Answers a malformed request with its status and closes (the framing can no longer be trusted).
  private func fail(_ error: HTTPParseError) {
    respondAndClose(ProblemDetails(status: error.status, detail: error.description))
  }

  /// Sends a problem outside the normal request flow (parse error, timeout) and closes.
  private func respondAndClose(_ problem: ProblemDetails) {
    let response = problem.response
    closeAfterResponse = true
    ResponseEncoder.writeHead(
      status: response.status, headers: response.headers, contentLength: response.fixedLength,
      chunked: false, close: true, dateLine: worker.dateCache.current(), into: &output)
    if case .bytes(let bytes) = response.body { output.append(contentsOf: bytes) }
    server.observer?.requestCompleted(
      RequestRecord(
        method: head?.method ?? Method("-"), target: head?.target ?? "-", routePattern: nil,
        status: response.status.code, bodyBytes: response.fixedLength ?? 0, durationNanoseconds: 0,
        remoteAddress: remoteAddress, version: head?.version ?? .http1_1))
    closeWhenFlushed()
  }

  /// Sends what is pending, then half-closes and waits briefly for the peer to close (no RST on unread data).
  private func closeWhenFlushed() {
    guard phase != .closed, phase != .lingering else { return }
    phase = .lingering
    setDeadline(.linger, after: .seconds(2))
    if !peerClosed { resumeReading() }
    flush()
  }

  /// Starts a graceful stop: idle connections close now, busy ones after their current response.
  func beginDrain() {
    draining = true
    switch phase {
    case .reading:
      if head == nil, inputStart == inputEnd, parser.isAtRequestBoundary { closeWhenFlushed() }
    case .streaming:
      let waiters = drainWaiters
      drainWaiters = []
      for waiter in waiters { waiter.resume(throwing: ConnectionClosed()) }
    case .awaitingHandler, .lingering, .closed:
      break
    }
  }

  /// Enforces the header, idle, body, linger and write deadlines.
  func checkDeadline(now: UInt64) {
    if phase == .closed { return }
    if writeBlocked,
      now &- lastWriteProgress > UInt64(server.configuration.writeTimeout.nanoseconds)
    {
      close()
      return
    }
    guard deadlineKind != .none, now >= deadline else { return }
    switch deadlineKind {
    case .header, .body:
      if writeBlocked {
        close()
      } else {
        deadlineKind = .none
        respondAndClose(
          ProblemDetails(
            status: .requestTimeout, detail: "The request did not arrive in time; the connection is closed."))
      }
    case .idle, .linger, .none:
      close()
    }
  }

  private func setDeadline(_ kind: Deadline, after duration: Duration) {
    deadlineKind = kind
    deadline = DispatchTime.now().uptimeNanoseconds &+ UInt64(duration.nanoseconds)
  }

  /// Closes at once: the socket leaves the poller and its descriptor is closed.
  func close() {
    guard phase != .closed else { return }
    phase = .closed
    deadlineKind = .none
    let waiters = drainWaiters
    drainWaiters = []
    for waiter in waiters { waiter.resume(throwing: ConnectionClosed()) }
    release(events)
    events = nil
  }
}

extension Duration {
  /// The duration in whole nanoseconds.
  var nanoseconds: Int64 {
    components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
  }
}
