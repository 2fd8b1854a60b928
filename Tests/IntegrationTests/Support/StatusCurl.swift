import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// curl for the status and event-stream integration tests: requests with headers (If-None-Match,
/// Authorization), and a long-running `curl -N` that appends an SSE stream to a file while the test watches.
enum StatusCurl {
  /// One answer: status, headers (names lowercased), body.
  struct Answer: Sendable {
    var status: Int
    var headers: [String: String]
    var body: String
  }

  /// A GET (bounded by `-m 20`), run on a thread of its own.
  static func get(_ url: String, headers: [String: String] = [:]) async throws -> Answer {
    var arguments = ["-sS", "-m", "20", "-i"]
    for (name, value) in headers.sorted(by: { $0.key < $1.key }) { arguments += ["-H", "\(name): \(value)"] }
    arguments.append(url)
    let fixed = arguments
    let output = await withCheckedContinuation {
      (continuation: CheckedContinuation<Result<String, any Error>, Never>) in
      Thread.detachNewThread { continuation.resume(returning: Result { try run(fixed) }) }
    }
    return try parse(try output.get())
  }

  private static func run(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  private static func parse(_ text: String) throws -> Answer {
    guard let headEnd = text.range(of: "\r\n\r\n") else {
      throw HarnessError("curl got no HTTP head: \(text)")
    }
    let lines = text[..<headEnd.lowerBound].components(separatedBy: "\r\n")
    let status = Int(lines[0].split(separator: " ").dropFirst().first ?? "") ?? 0
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
        in: .whitespaces)
    }
    return Answer(status: status, headers: headers, body: String(text[headEnd.upperBound...]))
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
