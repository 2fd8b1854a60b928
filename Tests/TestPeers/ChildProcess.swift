import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A helper process the tests start on loopback (moto_server, the fault proxy, a credentials server).
///
/// Its stdin is a pipe held open by the test process: the scripts exit when it closes, so nothing outlives
/// the test run even if it crashes.
public final class ChildProcess: @unchecked Sendable {
  public let process: Process
  private let stdinPipe = Pipe()
  public let logPath: String

  public init(executable: String, arguments: [String], environment: [String: String] = [:], logPath: String)
    throws
  {
    process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    self.logPath = logPath
    _ = FileManager.default.createFile(atPath: logPath, contents: nil)
    let log = FileHandle(forWritingAtPath: logPath)
    process.standardOutput = log
    process.standardError = log
    process.standardInput = stdinPipe
    // Keep this pipe out of every other child, so closing it (or exiting) is seen as EOF at once.
    _ = fcntl(stdinPipe.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
    _ = fcntl(stdinPipe.fileHandleForReading.fileDescriptor, F_SETFD, FD_CLOEXEC)
    try process.run()
  }

  /// Stops the process (SIGTERM, then SIGKILL after 5 s) and waits for it.
  public func stop() {
    try? stdinPipe.fileHandleForWriting.close()
    if process.isRunning { process.terminate() }
    for _ in 0..<100 where process.isRunning { usleep(50_000) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }

  deinit { stop() }

  /// The process's combined output so far.
  public var log: String {
    (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
  }

  /// Finds an executable on PATH.
  public static func which(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    for directory in path.split(separator: ":") {
      let candidate = "\(directory)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// A fresh temporary directory.
  public static func temporaryDirectory(_ label: String) throws -> String {
    let path = NSTemporaryDirectory() + "switchboard-test-\(label)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Writes an embedded script to a temporary file and returns its path.
  public static func script(_ name: String, _ text: String) throws -> String {
    let path = try temporaryDirectory("script") + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// Waits (bounded) for a file a script writes its port into, and reads the port.
  public static func waitForPortFile(_ path: String, process: ChildProcess, seconds: Double = 30) async throws
    -> Int
  {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if let text = try? String(contentsOfFile: path, encoding: .utf8),
        let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
      {
        return port
      }
      guard process.process.isRunning else {
        throw HarnessError("helper exited before it was ready; its output:\n\(process.log)")
      }
      try await Task.sleep(nanoseconds: 50_000_000)
    }
    throw HarnessError("helper did not report its port within \(seconds) s; its output:\n\(process.log)")
  }
}
