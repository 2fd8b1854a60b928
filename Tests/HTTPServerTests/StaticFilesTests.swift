import Foundation
import Testing

@testable import HTTPServer

@Suite("Static files")
struct StaticFilesTests {
  /// A site folder with an index, a nested file, a dot-file and a symlink that leads out of the root.
  func makeSite() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("site-\(UUID())")
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("sub"), withIntermediateDirectories: true)
    try "<h1>home</h1>".write(
      to: root.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
    try "body{}".write(to: root.appendingPathComponent("sub/style.css"), atomically: true, encoding: .utf8)
    try "export {}".write(to: root.appendingPathComponent("app.js"), atomically: true, encoding: .utf8)
    try "secret".write(to: root.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
    let outside = FileManager.default.temporaryDirectory.appendingPathComponent("outside-\(UUID()).txt")
    try "OUTSIDE-CONTENT".write(to: outside, atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(
      at: root.appendingPathComponent("escape.txt"), withDestinationURL: outside)
    try FileManager.default.createSymbolicLink(
      at: root.appendingPathComponent("etc"), withDestinationURL: URL(fileURLWithPath: "/etc"))
    return root
  }

  func server(_ root: URL) throws -> RunningServer {
    var router = Router()
    try StaticFiles(root: root.path).register(in: &router)
    return try RunningServer(router: router)
  }

  @Test("index.html for /, content types, ETag, Cache-Control, and 304 on If-None-Match")
  func servesAndRevalidates() async throws {
    let root = try makeSite()
    let running = try server(root)
    let home = try await curl(["-i", "\(running.base)/"])
    #expect(home.out.hasPrefix("HTTP/1.1 200"))
    #expect(home.out.contains("Content-Type: text/html; charset=utf-8"))
    #expect(home.out.contains("Cache-Control: no-cache"))
    #expect(home.out.hasSuffix("<h1>home</h1>"))
    #expect(try await curl(["-i", "\(running.base)/app.js"]).out.contains("Content-Type: text/javascript"))
    #expect(try await curl(["-i", "\(running.base)/sub/style.css"]).out.contains("Content-Type: text/css"))

    let etagLine = home.out.split(separator: "\r\n").first { $0.hasPrefix("ETag: ") }!
    let etag = String(etagLine.dropFirst(6))
    let revalidated = try await curl(["-i", "-H", "If-None-Match: \"other\", \(etag)", "\(running.base)/"])
    #expect(revalidated.out.hasPrefix("HTTP/1.1 304"))
    #expect(revalidated.out.contains("ETag: \(etag)"))
    #expect(!revalidated.out.contains("<h1>"))

    try "<h1>changed</h1>".write(
      to: root.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
    let changed = try await curl(["-i", "-H", "If-None-Match: \(etag)", "\(running.base)/"])
    #expect(changed.out.hasPrefix("HTTP/1.1 200"))
    #expect(changed.out.hasSuffix("<h1>changed</h1>"))
    await running.stop()
  }

  @Test(
    "Nothing outside the root: dot-dot plain or encoded, dot-files, symlinks out",
    arguments: [
      "/../outside.txt", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
      "/sub/..%2f..%2fetc/hostname",
      "/.env", "/escape.txt", "/etc/hostname", "/sub/%00.css", "/..%5c..%5cetc/passwd",
    ])
  func traversal(_ path: String) async throws {
    let root = try makeSite()
    let running = try server(root)
    let client = try RawClient(port: running.port)
    client.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
    let response = await client.readResponses(1).first ?? ""
    #expect(
      response.hasPrefix("HTTP/1.1 404") || response.hasPrefix("HTTP/1.1 400"),
      "\(path) → \(response.prefix(30))")
    #expect(!response.contains("OUTSIDE-CONTENT"))
    #expect(!response.contains("root:"))
    #expect(!response.contains("secret"))
    await running.stop()
  }

  @Test("A folder without a trailing slash redirects to it")
  func folderRedirect() async throws {
    let root = try makeSite()
    try "<p>sub</p>".write(
      to: root.appendingPathComponent("sub/index.html"), atomically: true, encoding: .utf8)
    let running = try server(root)
    let result = try await curl(["-i", "\(running.base)/sub"])
    #expect(result.out.hasPrefix("HTTP/1.1 301"))
    #expect(result.out.contains("Location: /sub/"))
    #expect(try await curl(["\(running.base)/sub/"]).out == "<p>sub</p>")
    await running.stop()
  }

  @Test(
    "Given the dashboard's files, when a page, a script, a 304, a redirect or a 404 is answered, then each carries the strict CSP, nosniff and no-referrer"
  )
  func securityHeadersOnEveryAnswer() async throws {
    let root = try makeSite()
    let running = try server(root)
    let page = try await curl(["-i", "\(running.base)/"])
    let etagLine = page.out.split(separator: "\r\n").first { $0.hasPrefix("ETag: ") }!
    let answers = [
      page,
      try await curl(["-i", "\(running.base)/app.js"]),
      try await curl(["-i", "-H", "If-None-Match: \(etagLine.dropFirst(6))", "\(running.base)/"]),
      try await curl(["-i", "\(running.base)/sub"]),
      try await curl(["-i", "\(running.base)/missing.js"]),
    ]
    #expect(
      answers.map { $0.out.prefix(12) } == [
        "HTTP/1.1 200", "HTTP/1.1 200", "HTTP/1.1 304", "HTTP/1.1 301", "HTTP/1.1 404",
      ])
    for answer in answers {
      #expect(
        answer.out.contains(
          "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'\r\n"
        ))
      #expect(answer.out.contains("X-Content-Type-Options: nosniff\r\n"))
      #expect(answer.out.contains("Referrer-Policy: no-referrer\r\n"))
      #expect(answer.out.contains("X-Frame-Options: DENY\r\n"))
    }
    #expect(page.out.contains("Cache-Control: no-cache\r\n"))
    #expect(!page.out.contains("unsafe-inline"))
    await running.stop()
  }
}
