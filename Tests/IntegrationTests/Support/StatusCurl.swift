import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// curl for the status and event-stream integration tests: requests with headers (If-None-Match,
/// Authorization), and a long-running `curl -N` that appends an SSE stream to a file while the test watches.
enum StatusCurl {
  /// One answer: status, headers (names lowercased), body.
  typealias Answer = Curl.Answer

  /// A GET (bounded by `-m 20`), run on a thread of its own.
  static func get(_ url: String, headers: [String: String] = [:]) async throws -> Answer {
    try await Curl.request("GET", url, headers: headers)
  }

  /// `curl -N` writing a stream to a file until `stop()` (or its `-m` limit).
  final class Stream: Sendable {
    let process = Process()
    let path: String

    init(_ url: String, headers: [String: String], seconds: Int = 120) throws {
      path = try ChildProcess.temporaryDirectory("sse") + "/stream.txt"
      _ = FileManager.default.createFile(atPath: path, contents: nil)
      process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
      var arguments = ["-sSN", "-m", "\(seconds)"]
      for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
        arguments += ["-H", "\(name): \(value)"]
      }
      process.arguments = arguments + [url]
      process.standardOutput = FileHandle(forWritingAtPath: path)
      process.standardError = FileHandle.nullDevice
      try process.run()
    }

    /// What arrived so far.
    var text: String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// Ends curl (SIGKILL to its own pid) and reaps it.
    func stop() {
      if process.isRunning { _ = Glibc.kill(process.processIdentifier, SIGKILL) }
      process.waitUntilExit()
    }
  }
}
