import Foundation
import Testing

@testable import HTTPServer

@Suite("Server against curl")
struct CurlTests {
  @Test("Keep-alive: curl reuses one connection for two requests")
  func keepAlive() async throws {
    let running = try RunningServer(router: testRouter())
    let result = try await curl(["-v", "\(running.base)/hello", "\(running.base)/hello"])
    #expect(result.status == 0)
    #expect(result.out == "hellohello")
    #expect(result.err.contains("Re-using existing connection"))
    await running.stop()
  }

  @Test("A chunked upload arrives whole")
  func chunkedUpload() async throws {
    let running = try RunningServer(router: testRouter())
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("upload-\(UUID()).bin")
    let payload = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    try Data(payload).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("echo-\(UUID()).bin")
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try await curl([
      "-H", "Transfer-Encoding: chunked", "--data-binary", "@\(file.path)", "-o", out.path,
      "\(running.base)/echo",
    ])
    #expect(result.status == 0)
    #expect(try Data(contentsOf: out) == Data(payload))
    await running.stop()
  }

  @Test("Expect: 100-continue gets an interim 100 before the body is sent")
  func expectContinue() async throws {
    let running = try RunningServer(router: testRouter())
    let result = try await curl([
      "-v", "-H", "Expect: 100-continue", "--data-binary", String(repeating: "x", count: 5000),
      "\(running.base)/echo",
    ])
    #expect(result.status == 0)
    #expect(result.err.contains("HTTP/1.1 100 Continue"))
    #expect(result.out == String(repeating: "x", count: 5000))
    await running.stop()
  }

  @Test("HEAD answers the GET's headers without a body")
  func head() async throws {
    let running = try RunningServer(router: testRouter())
    let result = try await curl(["-I", "\(running.base)/hello"])
    #expect(result.status == 0)
    #expect(result.out.contains("HTTP/1.1 200 OK"))
    #expect(result.out.contains("Content-Length: 5"))
    #expect(result.out.contains("Date: "))
    #expect(!result.out.contains("hello"))
    await running.stop()
  }

  @Test("HTTP/1.0 clients are answered")
  func http10() async throws {
    let running = try RunningServer(router: testRouter())
    let result = try await curl(["-0", "-i", "\(running.base)/hello"])
    #expect(result.status == 0)
    #expect(result.out.hasPrefix("HTTP/1.1 200 OK"))
    #expect(result.out.contains("Connection: close"))
    await running.stop()
  }

  @Test("Errors are problem+json: unknown path, thrown problem, unexpected failure")
  func problems() async throws {
    let running = try RunningServer(router: testRouter())
    for (path, status) in [("/nope", "404"), ("/fail", "409"), ("/crash", "500")] {
      let result = try await curl(["-i", "\(running.base)\(path)"])
      #expect(result.out.hasPrefix("HTTP/1.1 \(status)"))
      #expect(result.out.contains("Content-Type: application/problem+json"))
      #expect(result.out.contains("\"status\":\(status)"))
    }
    let result = try await curl(["-i", "\(running.base)/fail"])
    #expect(result.out.contains("A conflict, on purpose."))
    await running.stop()
  }

  @Test("A streamed body (Server-Sent Events) arrives chunked and complete")
  func serverSentEvents() async throws {
    let running = try RunningServer(router: testRouter())
    let result = try await curl(["-N", "-i", "\(running.base)/events"])
    #expect(result.out.contains("Transfer-Encoding: chunked"))
    #expect(result.out.hasSuffix("data: 0\n\ndata: 1\n\ndata: 2\n\n"))
    await running.stop()
  }

  @Test("IPv6 loopback works")
  func ipv6() async throws {
    var router = Router()
    router.get("/hello") { _ in .text("hello6") }
    let server = HTTPServer(
      configuration: ServerConfiguration(listen: [ListenAddress(host: "::1", port: 0)]), router: router)
    try server.start()
    let result = try await curl(["-g", "http://[::1]:\(server.boundAddresses[0].port)/hello"])
    #expect(result.out == "hello6")
    await server.shutdown()
  }
}
