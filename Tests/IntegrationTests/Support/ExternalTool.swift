import Foundation

/// A command-line tool the tests run (curl, promtool), found on PATH, run to completion off the cooperative pool.
struct ExternalTool {
  let path: String

  /// The tool, or an error naming the Debian package to install (a missing tool fails the test, never skips it).
  init(_ name: String, package: String) throws {
    guard let path = ChildProcess.which(name) else {
      throw HarnessError(
        "\(name) is not installed: install Debian's \(package) package (scripts/install-prerequisites does).")
    }
    self.path = path
  }

  /// Runs the tool with `stdin` (a file) as its input; returns its exit status and outputs. Bound it with the
  /// tool's own time limit (curl -m).
  func run(_ arguments: [String], stdin: String? = nil) async throws -> (
    status: Int32, out: String, err: String
  ) {
    let path = self.path
    return try await withCheckedThrowingContinuation { continuation in
      Thread.detachNewThread {
        continuation.resume(with: Result { try Self.runBlocking(path, arguments, stdin: stdin) })
      }
    }
  }

  private static func runBlocking(_ path: String, _ arguments: [String], stdin: String?) throws -> (
    status: Int32, out: String, err: String
  ) {
    let directory = try ChildProcess.temporaryDirectory("tool")
    let outPath = directory + "/stdout"
    let errPath = directory + "/stderr"
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.standardOutput = FileHandle(forWritingAtPath: outPath)
    process.standardError = FileHandle(forWritingAtPath: errPath)
    process.standardInput = stdin.flatMap { FileHandle(forReadingAtPath: $0) } ?? FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    return (process.terminationStatus, out, err)
  }
}
