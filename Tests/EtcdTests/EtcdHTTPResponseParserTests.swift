import Testing

@testable import Etcd

@Suite("HTTP/1.1 responses read by the etcd TLS transport")
struct EtcdHTTPResponseParserTests {
  /// Feeds `text` to a parser `step` bytes at a time.
  static func parse(_ text: String, step: Int) throws -> EtcdHTTPResponseParser {
    var parser = EtcdHTTPResponseParser()
    let bytes = Array(text.utf8)
    var start = 0
    while start < bytes.count {
      let end = min(start + step, bytes.count)
      try parser.consume(bytes[start..<end])
      start = end
    }
    return parser
  }

  @Test(
    "Given a chunked response with a chunk extension and a trailer, when it arrives a byte at a time, then the body is joined"
  )
  func chunkedByteByByte() throws {
    let text =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
      + "5;x=1\r\n{\"a\":\r\n3\r\n\"b\"\r\n1\r\n}\r\n0\r\nGrpc-Trailer: 0\r\n\r\n"
    for step in [1, 2, 7, 1000] {
      let parser = try Self.parse(text, step: step)
      #expect(parser.isComplete)
      #expect(parser.status == 200)
      #expect(String(decoding: parser.body, as: UTF8.self) == "{\"a\":\"b\"}")
      #expect(parser.keepAlive)
    }
  }

  @Test("Given a Content-Length response, then it completes at that length and keeps the connection")
  func contentLength() throws {
    let partial = try Self.parse("HTTP/1.1 404 Not Found\r\ncontent-length: 4\r\n\r\nab", step: 3)
    #expect(!partial.isComplete)
    let parser = try Self.parse("HTTP/1.1 404 Not Found\r\ncontent-length: 4\r\n\r\nabcd", step: 3)
    #expect(parser.isComplete)
    #expect(parser.status == 404)
    #expect(parser.body == Array("abcd".utf8))
    #expect(parser.keepAlive)
  }

  @Test("Given a response without length and Connection: close, then the body runs to the end of the stream")
  func untilClose() throws {
    var parser = try Self.parse("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nhello", step: 4)
    #expect(!parser.isComplete)
    let completed = parser.finishAtEndOfStream()
    #expect(completed)
    #expect(parser.body == Array("hello".utf8))
    #expect(!parser.keepAlive)
  }

  @Test("Given bytes that are not HTTP, or a malformed chunk size, then each is refused with a sentence")
  func malformed() {
    #expect(throws: EtcdTransportFailure.self) { try Self.parse("SSH-2.0-OpenSSH\r\n\r\n", step: 100) }
    #expect(throws: EtcdTransportFailure.self) {
      try Self.parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", step: 100)
    }
  }
}
