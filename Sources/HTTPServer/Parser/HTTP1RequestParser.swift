import Glibc

/// An incremental HTTP/1.1 request parser (RFC 9112) working on bytes: a state machine that is fed the
/// unconsumed input and reports how much it consumed and what it found.
///
/// It refuses every framing shape that could smuggle a request: both Content-Length and Transfer-Encoding,
/// conflicting Content-Lengths, bad chunk sizes, obs-fold, bare CR or LF, invalid bytes in names and values.
struct HTTP1RequestParser: Sendable {
  /// What one call to `next` found.
  enum Event: Sendable {
    /// More bytes are needed; keep the unconsumed ones and call again when more arrive.
    case needMore
    /// A complete request head; its body (if any) follows, then `.end`.
    case head(RequestHead)
    /// Body bytes: this range of the buffer that was passed in.
    case body(Range<Int>)
    /// The end of the current request (after its body, or right after a bodyless head); the parser is ready
    /// for the next request.
    case end
  }

  private enum State: Sendable {
    case head(scanned: Int)
    case body(remaining: Int)
    case chunkSize
    case chunkData(remaining: Int)
    case chunkDataEnd
    case trailers(scanned: Int, lineStart: Int)
    case endOfMessage
    case failed
  }

  let limits: ParserLimits
  private var state: State = .head(scanned: 0)
  private var bodyBytes = 0

  init(limits: ParserLimits = ParserLimits()) { self.limits = limits }

  /// Whether the parser sits between requests (nothing of a next request has been seen).
  var isAtRequestBoundary: Bool {
    if case .head(let scanned) = state { return scanned == 0 }
    return false
  }

  /// Parses from the start of `buffer` (the bytes not yet consumed) and returns how many bytes it consumed.
  mutating func next(_ buffer: UnsafeRawBufferPointer) throws(HTTPParseError) -> (consumed: Int, event: Event)
  {
    do {
      return try step(buffer)
    } catch {
      state = .failed
      throw error
    }
  }

  private mutating func step(_ buffer: UnsafeRawBufferPointer) throws(HTTPParseError) -> (
    consumed: Int, event: Event
  ) {
    switch state {
    case .failed:
      throw .badRequest("The connection already had a malformed request.")

    case .head(let scanned):
      // RFC 9112 §2.2: ignore empty lines before the request line.
      if scanned == 0, buffer.count >= 2, buffer[0] == 0x0D, buffer[1] == 0x0A { return (2, .needMore) }
      if scanned == 0, buffer.count == 1, buffer[0] == 0x0D { return (0, .needMore) }
      guard let end = try Self.findEndOfSection(buffer, from: scanned, limit: limits.maxHeaderSectionBytes)
      else {
        state = .head(scanned: Self.resumePoint(buffer, scanned: scanned))
        return (0, .needMore)
      }
      let head = try Self.parseHead(UnsafeRawBufferPointer(rebasing: buffer[..<end]), limits: limits)
      bodyBytes = 0
      switch head.framing {
      case .none: state = .endOfMessage
      case .length(let n): state = n == 0 ? .endOfMessage : .body(remaining: n)
      case .chunked: state = .chunkSize
      }
      return (end, .head(head))

    case .body(let remaining):
      return passBody(buffer, remaining: remaining, then: .endOfMessage, otherwise: State.body(remaining:))

    case .endOfMessage:
      state = .head(scanned: 0)
      return (0, .end)

    case .chunkSize:
      guard let lf = Self.indexOfLF(buffer, from: 0) else {
        if buffer.count > limits.maxChunkLineBytes { throw .badRequest("A chunk-size line is too long.") }
        return (0, .needMore)
      }
      if lf > limits.maxChunkLineBytes { throw .badRequest("A chunk-size line is too long.") }
      let size = try Self.parseChunkSize(UnsafeRawBufferPointer(rebasing: buffer[..<lf]))
      if size == 0 {
        state = .trailers(scanned: 0, lineStart: 0)
        return (lf + 1, .needMore)
      }
      if size > limits.maxBodyBytes - bodyBytes { throw .bodyTooLarge(limit: limits.maxBodyBytes) }
      bodyBytes += size
      state = .chunkData(remaining: size)
      return (lf + 1, .needMore)

    case .chunkData(let remaining):
      return passBody(
        buffer, remaining: remaining, then: .chunkDataEnd, otherwise: State.chunkData(remaining:))

    case .chunkDataEnd:
      if buffer.count < 2 {
        if buffer.count == 1, buffer[0] != 0x0D {
          throw .badRequest("A chunk's data is longer than its size.")
        }
        return (0, .needMore)
      }
      guard buffer[0] == 0x0D, buffer[1] == 0x0A else {
        throw .badRequest("A chunk's data is longer than its size.")
      }
      state = .chunkSize
      return (2, .needMore)

    case .trailers(let scanned, let lineStart):
      // Trailer fields are validated like header fields, then discarded.
      var position = scanned
      var start = lineStart
      while let lf = Self.indexOfLF(buffer, from: position) {
        guard lf > 0, buffer[lf - 1] == 0x0D else { throw .badRequest("A line ends in a bare LF.") }
        if lf - 1 == start {
          state = .head(scanned: 0)
          return (lf + 1, .end)
        }
        try Self.validateFieldLine(UnsafeRawBufferPointer(rebasing: buffer[start..<(lf - 1)]))
        position = lf + 1
        start = lf + 1
      }
      if buffer.count > limits.maxHeaderSectionBytes {
        throw .headerSectionTooLarge(limit: limits.maxHeaderSectionBytes)
      }
      state = .trailers(scanned: buffer.count, lineStart: start)
      return (0, .needMore)
    }
  }

  /// Passes on up to `remaining` body bytes from the start of `buffer`: the state becomes `then` once all are
  /// through, `otherwise` of the count still to come before that.
  private mutating func passBody(
    _ buffer: UnsafeRawBufferPointer, remaining: Int, then done: State, otherwise more: (Int) -> State
  ) -> (consumed: Int, event: Event) {
    if buffer.isEmpty { return (0, .needMore) }
    let take = min(remaining, buffer.count)
    state = take == remaining ? done : more(remaining - take)
    return (take, .body(0..<take))
  }

  /// Where the next scan for the end of the head may start without missing a CRLFCRLF split across reads.
  private static func resumePoint(_ buffer: UnsafeRawBufferPointer, scanned: Int) -> Int {
    max(scanned, buffer.count - 3, 0)
  }

  // MARK: - Head

  /// The offset just past the empty line that ends a header section, or nil when it has not arrived.
  /// Checks every line ending on the way: a LF must follow a CR.
  static func findEndOfSection(_ buffer: UnsafeRawBufferPointer, from scanned: Int, limit: Int)
    throws(HTTPParseError) -> Int?
  {
    var position = max(0, scanned - 3)
    while let lf = indexOfLF(buffer, from: position) {
      guard lf > 0, buffer[lf - 1] == 0x0D else { throw .badRequest("A line ends in a bare LF.") }
      if lf >= 3, buffer[lf - 2] == 0x0A, buffer[lf - 3] == 0x0D {
        if lf + 1 > limit { throw .headerSectionTooLarge(limit: limit) }
        return lf + 1
      }
      position = lf + 1
    }
    if buffer.count > limit { throw .headerSectionTooLarge(limit: limit) }
    return nil
  }

  static func indexOfLF(_ buffer: UnsafeRawBufferPointer, from position: Int) -> Int? {
    guard position < buffer.count, let base = buffer.baseAddress else { return nil }
    guard let found = memchr(base + position, 0x0A, buffer.count - position) else { return nil }
    return base.distance(to: UnsafeRawPointer(found))
  }

  /// Parses a complete head (request line, fields, final CRLF) and decides the body framing.
  static func parseHead(_ head: UnsafeRawBufferPointer, limits: ParserLimits) throws(HTTPParseError)
    -> RequestHead
  {
    guard let firstLF = indexOfLF(head, from: 0) else { throw .badRequest("The request line is incomplete.") }
    let requestLine = UnsafeRawBufferPointer(rebasing: head[..<(firstLF - 1)])
    let (method, target, version) = try parseRequestLine(requestLine)

    var headers = HTTPHeaders()
    headers.fields.reserveCapacity(8)
    var lineStart = firstLF + 1
    let end = head.count - 2  // the final CRLF
    var count = 0
    while lineStart < end {
      guard let lf = indexOfLF(head, from: lineStart) else { break }
      let line = UnsafeRawBufferPointer(rebasing: head[lineStart..<(lf - 1)])
      let (name, value) = try parseFieldLine(line)
      count += 1
      if count > limits.maxHeaderCount { throw .headerSectionTooLarge(limit: limits.maxHeaderSectionBytes) }
      headers.fields.append((name: name, value: value))
      lineStart = lf + 1
    }
    return try interpret(
      method: method, target: target, version: version, headers: headers, limits: limits)
  }

  static func parseRequestLine(_ line: UnsafeRawBufferPointer) throws(HTTPParseError) -> (
    Method, String, HTTPVersion
  ) {
    guard let firstSpace = line.firstIndex(of: 0x20), firstSpace > 0 else {
      throw .badRequest("The request line is not 'METHOD target HTTP/1.1'.")
    }
    for i in 0..<firstSpace where !ByteClasses.token[Int(line[i])] {
      throw .badRequest("The request method contains an invalid character.")
    }
    guard let lastSpace = line.lastIndex(of: 0x20), lastSpace > firstSpace + 1 else {
      throw .badRequest("The request line is not 'METHOD target HTTP/1.1'.")
    }
    for i in (firstSpace + 1)..<lastSpace where !ByteClasses.target[Int(line[i])] {
      throw .badRequest("The request target contains a space or an invalid character.")
    }
    let versionBytes = UnsafeRawBufferPointer(rebasing: line[(lastSpace + 1)...])
    let version = try parseVersion(versionBytes)
    let method = Method.fromToken(UnsafeRawBufferPointer(rebasing: line[..<firstSpace]))
    let target = String(
      decoding: UnsafeRawBufferPointer(rebasing: line[(firstSpace + 1)..<lastSpace]), as: UTF8.self)
    return (method, target, version)
  }

  static func parseVersion(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> HTTPVersion {
    guard bytes.count == 8, bytes.starts(with: "HTTP/".utf8), bytes[6] == UInt8(ascii: "."),
      (0x30...0x39).contains(bytes[5]), (0x30...0x39).contains(bytes[7])
    else {
      throw .badRequest("The request line does not end in a valid HTTP version.")
    }
    let major = Int(bytes[5] - 0x30)
    let minor = Int(bytes[7] - 0x30)
    guard major == 1 else { throw .versionNotSupported("\(major).\(minor)") }
    return minor == 0 ? .http1_0 : .http1_1
  }

  static func parseFieldLine(_ line: UnsafeRawBufferPointer) throws(HTTPParseError) -> (String, String) {
    guard let first = line.first else { throw .badRequest("An empty header line.") }
    if first == 0x20 || first == 0x09 {
      throw .badRequest("Obsolete line folding (a header line starting with whitespace) is not allowed.")
    }
    var colon = -1
    for i in 0..<line.count {
      let byte = line[i]
      if byte == UInt8(ascii: ":") {
        colon = i
        break
      }
      guard ByteClasses.token[Int(byte)] else {
        throw .badRequest("A header name contains an invalid character (byte \(byte)).")
      }
    }
    guard colon > 0 else { throw .badRequest("A header line has no name or no colon.") }
    var valueStart = colon + 1
    var valueEnd = line.count
    while valueStart < valueEnd, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
    while valueEnd > valueStart, line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09 { valueEnd -= 1 }
    for i in valueStart..<valueEnd where !ByteClasses.fieldValue[Int(line[i])] {
      throw .badRequest("A header value contains an invalid character (byte \(line[i])).")
    }
    let name = String(decoding: UnsafeRawBufferPointer(rebasing: line[..<colon]), as: UTF8.self)
    let value = String(decoding: UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd]), as: UTF8.self)
    return (name, value)
  }

  static func validateFieldLine(_ line: UnsafeRawBufferPointer) throws(HTTPParseError) {
    _ = try parseFieldLine(line)
  }

  /// Applies the framing rules of RFC 9112 §6 and the Host rule of §3.2.
  static func interpret(
    method: Method, target: String, version: HTTPVersion, headers: HTTPHeaders, limits: ParserLimits
  ) throws(HTTPParseError) -> RequestHead {
    var contentLength: Int?
    var transferEncodings: [Substring] = []
    var hostCount = 0
    var expectsContinue = false
    for field in headers.fields {
      if field.name.equalsIgnoringASCIICase("content-length") {
        for part in field.value.split(separator: ",", omittingEmptySubsequences: false) {
          let trimmed = part.trimmingASCIISpaces()
          guard !trimmed.isEmpty, trimmed.utf8.count <= 18,
            trimmed.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let n = Int(trimmed)
          else {
            throw .badRequest("Content-Length '\(field.value)' is not a non-negative integer.")
          }
          if let existing = contentLength, existing != n {
            throw .badRequest("Conflicting Content-Length values.")
          }
          contentLength = n
        }
      } else if field.name.equalsIgnoringASCIICase("transfer-encoding") {
        for part in field.value.split(separator: ",") {
          let coding = part.trimmingASCIISpaces()
          if !coding.isEmpty { transferEncodings.append(coding) }
        }
        if transferEncodings.isEmpty { throw .badRequest("An empty Transfer-Encoding header.") }
      } else if field.name.equalsIgnoringASCIICase("host") {
        hostCount += 1
      } else if field.name.equalsIgnoringASCIICase("expect") {
        if field.value.equalsIgnoringASCIICase("100-continue") {
          expectsContinue = true
        } else {
          throw .expectationFailed(field.value)
        }
      }
    }
    if version == .http1_1, hostCount != 1 {
      throw .badRequest(
        hostCount == 0 ? "An HTTP/1.1 request must carry a Host header." : "More than one Host header.")
    }
    if hostCount > 1 { throw .badRequest("More than one Host header.") }

    let framing: RequestHead.BodyFraming
    if !transferEncodings.isEmpty {
      if contentLength != nil {
        throw .badRequest("A request must not carry both Content-Length and Transfer-Encoding.")
      }
      if version == .http1_0 { throw .badRequest("Transfer-Encoding is not allowed in HTTP/1.0.") }
      guard let last = transferEncodings.last, last.equalsIgnoringASCIICase("chunked") else {
        throw .badRequest("Transfer-Encoding must end with chunked.")
      }
      if transferEncodings.count > 1 {
        let other = transferEncodings.first { !$0.equalsIgnoringASCIICase("chunked") } ?? "chunked"
        if other.equalsIgnoringASCIICase("chunked") {
          throw .badRequest("chunked is applied more than once.")
        }
        throw .notImplemented(String(other))
      }
      framing = .chunked
    } else if let contentLength {
      if contentLength > limits.maxBodyBytes { throw .bodyTooLarge(limit: limits.maxBodyBytes) }
      framing = contentLength == 0 ? .none : .length(contentLength)
    } else {
      framing = .none
    }

    let keepAlive =
      version == .http1_0
      ? headers.containsToken("keep-alive", in: "Connection")
      : !headers.containsToken("close", in: "Connection")
    return RequestHead(
      method: method, target: target, version: version, headers: headers, framing: framing,
      expectsContinue: expectsContinue && framing != .none && version == .http1_1, keepAlive: keepAlive)
  }

  /// Parses `1*HEXDIG [ BWS ; chunk-ext ] CR` (the LF is already stripped).
  static func parseChunkSize(_ line: UnsafeRawBufferPointer) throws(HTTPParseError) -> Int {
    guard line.count >= 1, line[line.count - 1] == 0x0D else {
      throw .badRequest("A chunk-size line ends in a bare LF.")
    }
    let content = UnsafeRawBufferPointer(rebasing: line[..<(line.count - 1)])
    var size = 0
    var digits = 0
    var index = 0
    while index < content.count, let value = PercentDecoding.hexValue(content[index]) {
      digits += 1
      if digits > 15 { throw .badRequest("A chunk size is too large.") }
      size = size << 4 | Int(value)
      index += 1
    }
    guard digits > 0 else { throw .badRequest("A chunk size is not a hexadecimal number.") }
    while index < content.count, content[index] == 0x20 || content[index] == 0x09 { index += 1 }
    if index < content.count {
      guard content[index] == UInt8(ascii: ";") else {
        throw .badRequest("A chunk size is followed by unexpected bytes.")
      }
      for i in (index + 1)..<content.count where !ByteClasses.fieldValue[Int(content[i])] {
        throw .badRequest("A chunk extension contains an invalid character.")
      }
    }
    return size
  }
}
