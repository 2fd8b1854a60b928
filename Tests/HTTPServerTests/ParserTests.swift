import Testing

@testable import HTTPServer

/// Feeds bytes to a parser the way a connection does and collects what it reports.
struct ParserHarness {
  var parser = HTTP1RequestParser(limits: ParserLimits())
  var heads: [RequestHead] = []
  var bodies: [[UInt8]] = []
  var ends = 0
  var pending: [UInt8] = []

  init(limits: ParserLimits = ParserLimits()) { parser = HTTP1RequestParser(limits: limits) }

  var current: [UInt8] = []

  /// Appends bytes and parses as far as possible.
  mutating func feed(_ bytes: [UInt8]) throws(HTTPParseError) {
    pending += bytes
    while true {
      var parser = self.parser
      let result = pending.withUnsafeBytes { raw in
        Result { () throws(HTTPParseError) in try parser.next(raw) }
      }
      self.parser = parser
      let (consumed, event) = try result.get()
      switch event {
      case .needMore:
        pending.removeFirst(consumed)
        if consumed == 0 { return }
      case .head(let head):
        heads.append(head)
        current = []
        pending.removeFirst(consumed)
      case .body(let range):
        current += pending[range]
        pending.removeFirst(consumed)
      case .end:
        ends += 1
        bodies.append(current)
        current = []
        pending.removeFirst(consumed)
      }
    }
  }

  mutating func feed(_ text: String) throws(HTTPParseError) { try feed(Array(text.utf8)) }

  /// All body bytes of every request, joined.
  var allBody: [UInt8] { bodies.flatMap { $0 } }
}

func expectRejected(
  _ text: String, as expected: HTTPParseError? = nil, limits: ParserLimits = ParserLimits(),
  sourceLocation: SourceLocation = #_sourceLocation
) {
  var harness = ParserHarness(limits: limits)
  do {
    try harness.feed(text)
    Issue.record("Expected \(text.debugDescription) to be rejected", sourceLocation: sourceLocation)
  } catch {
    if let expected {
      #expect(error.status == expected.status, "\(error)", sourceLocation: sourceLocation)
    }
  }
}

@Suite("HTTP/1.1 request parser")
struct ParserTests {
  @Test("A simple GET gives its head and an end")
  func simpleGet() throws {
    var harness = ParserHarness()
    try harness.feed("GET /api/v1/status?x=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n")
    #expect(harness.heads.count == 1)
    #expect(harness.heads[0].method == .GET)
    #expect(harness.heads[0].target == "/api/v1/status?x=1")
    #expect(harness.heads[0].headers["accept"] == "*/*")
    #expect(harness.heads[0].keepAlive)
    #expect(harness.ends == 1)
  }

  @Test("Pipelined requests come out in order")
  func pipelined() throws {
    var harness = ParserHarness()
    try harness.feed(
      "GET /a HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcGET /c HTTP/1.1\r\nHost: h\r\n\r\n"
    )
    #expect(harness.heads.map(\.target) == ["/a", "/b", "/c"])
    #expect(harness.ends == 3)
    #expect(harness.allBody == Array("abc".utf8))
  }

  @Test("A request split at every byte parses the same as in one piece")
  func byteByByte() throws {
    let text =
      "POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n"
    var harness = ParserHarness()
    for byte in text.utf8 { try harness.feed([byte]) }
    #expect(harness.heads.count == 1)
    #expect(harness.ends == 1)
    #expect(String(decoding: harness.allBody, as: UTF8.self) == "hello world")
  }

  @Test("Leading empty lines before a request are ignored")
  func leadingCRLF() throws {
    var harness = ParserHarness()
    try harness.feed("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n")
    #expect(harness.heads.count == 1)
  }

  @Test("HTTP/1.0 closes by default and keeps alive on request; Host is optional")
  func http10() throws {
    var harness = ParserHarness()
    try harness.feed("GET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    #expect(harness.heads.map(\.keepAlive) == [false, true])
  }

  @Test("Connection: close is honoured")
  func connectionClose() throws {
    var harness = ParserHarness()
    try harness.feed("GET / HTTP/1.1\r\nHost: h\r\nConnection: Close\r\n\r\n")
    #expect(harness.heads[0].keepAlive == false)
  }

  @Test("Expect: 100-continue is reported only when a body follows")
  func expectContinue() throws {
    var harness = ParserHarness()
    try harness.feed("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
    #expect(harness.heads[0].expectsContinue)
    expectRejected("POST / HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\n\r\n", as: .expectationFailed(""))
  }

  @Test("Identical repeated Content-Length values are accepted")
  func identicalContentLength() throws {
    var harness = ParserHarness()
    try harness.feed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2, 2\r\n\r\nok")
    #expect(harness.allBody == Array("ok".utf8))
  }

  @Test(
    "Request smuggling shapes are rejected with 400",
    arguments: [
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 4\r\n\r\nabcd",
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +3\r\n\r\nabc",
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x10\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
      "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: \r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
    ])
  func smuggling(_ text: String) {
    expectRejected(text, as: .badRequest(""))
  }

  @Test(
    "Bad chunk sizes are rejected with 400",
    arguments: [
      "zz\r\nhello\r\n0\r\n\r\n",
      "\r\nhello\r\n0\r\n\r\n",
      "-5\r\nhello\r\n0\r\n\r\n",
      "5 x\r\nhello\r\n0\r\n\r\n",
      "ffffffffffffffffff\r\n",
      "5\r\nhelloXX0\r\n\r\n",
      "5\nhello\r\n0\r\n\r\n",
      "3\r\nhello\r\n0\r\n\r\n",
      "5;\u{1}\r\nhello\r\n0\r\n\r\n",
    ])
  func badChunks(_ chunks: String) {
    expectRejected(
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks, as: .badRequest(""))
  }

  @Test(
    "Malformed heads are rejected with 400",
    arguments: [
      "GET / HTTP/1.1\r\nHost: h\r\nX-Folded: a\r\n b\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: h\r\n\tfolded\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: h\r\nBad\u{0}Name: x\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: h\r\nX: a\u{0}b\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: h\r\nX: a\u{7F}\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: h\r\n: novalue\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n",
      "GET / HTTP/1.1\nHost: h\n\n",
      "GET / HTTP/1.1\r\nHost: h\n\r\n",
      "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n",
      "GET  / HTTP/1.1\r\nHost: h\r\n\r\n",
      "G(T / HTTP/1.1\r\nHost: h\r\n\r\n",
      "GET / HTTP/1.1 \r\nHost: h\r\n\r\n",
      "GET / HTTX/1.1\r\nHost: h\r\n\r\n",
      "GET / http/1.1\r\nHost: h\r\n\r\n",
      "GET /\u{1}x HTTP/1.1\r\nHost: h\r\n\r\n",
      "GET /é HTTP/1.1\r\nHost: h\r\n\r\n",
      "GET / HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
      "\u{16}\u{3}\u{1}\u{2}\u{0}\u{1}\u{0}\u{1}\u{fc}\u{3}\u{3}\r\n\r\n",
      "SSH-2.0-OpenSSH_9.2\r\n\r\n",
      "hello world\r\n\r\n",
    ])
  func malformed(_ text: String) {
    expectRejected(text, as: .badRequest(""))
  }

  @Test("A header section over the limit gets 431, even before it is complete")
  func headerTooLarge() {
    var limits = ParserLimits()
    limits.maxHeaderSectionBytes = 1024
    let big = "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + String(repeating: "a", count: 2000)
    expectRejected(big, as: .headerSectionTooLarge(limit: 1024), limits: limits)
    expectRejected(big + "\r\n\r\n", as: .headerSectionTooLarge(limit: 1024), limits: limits)
    let many = "GET / HTTP/1.1\r\nHost: h\r\n" + String(repeating: "X: y\r\n", count: 101) + "\r\n"
    expectRejected(many, as: .headerSectionTooLarge(limit: 16384))
  }

  @Test("A body over the limit gets 413, by Content-Length or by chunks")
  func bodyTooLarge() {
    var limits = ParserLimits()
    limits.maxBodyBytes = 10
    expectRejected(
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", as: .bodyTooLarge(limit: 10), limits: limits
    )
    expectRejected(
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\n",
      as: .bodyTooLarge(limit: 10), limits: limits)
  }

  @Test("Other HTTP versions get 505, other transfer codings 501")
  func versionsAndCodings() {
    expectRejected("GET / HTTP/2.0\r\nHost: h\r\n\r\n", as: .versionNotSupported(""))
    expectRejected("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", as: .versionNotSupported(""))
    expectRejected(
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", as: .notImplemented(""))
  }

  @Test("After an error the parser refuses everything")
  func failedStaysFailed() {
    var harness = ParserHarness()
    #expect(throws: HTTPParseError.self) { try harness.feed("BAD\r\n\r\n") }
    #expect(throws: HTTPParseError.self) { try harness.feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n") }
  }
}
