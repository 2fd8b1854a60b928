import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What one run of the built `switchboard` binary produced.
struct CommandResult: CustomStringConvertible {
  var status: Int32
  var stdout: String
  var stderr: String

  /// Non-empty stdout lines.
  var lines: [String] { stdout.split(separator: "\n").map(String.init) }

  var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// The real `switchboard` executable that `swift build` put next to the test bundle, run as a child process
/// with a bounded timeout.
enum SwitchboardBinary {
  /// The repository's root directory, found from this file's path.
  static let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.path
  }()

  /// The built binary: next to the running test bundle, else in the package's debug build folder.
  static func path() throws -> String {
    var candidates: [String] = []
    let runner = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
    candidates.append(runner.deletingLastPathComponent().appendingPathComponent("switchboard").path)
    candidates.append(
      runner.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("switchboard")
        .path)
    candidates.append(
      Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("switchboard").path)
    candidates.append(repositoryRoot + "/.build/debug/switchboard")
    for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
      return candidate
    }
    throw HarnessError(
      "The switchboard binary was not found (looked at \(candidates.joined(separator: ", "))); "
        + "run `swift build --build-tests` first.")
  }

  /// An environment with no AWS settings of the machine: no shared files, no instance metadata, a fresh HOME.
  static func isolatedEnvironment(_ extra: [String: String]) throws -> [String: String] {
    var environment = ProcessInfo.processInfo.environment.filter {
      !$0.key.hasPrefix("AWS_") && !$0.key.hasPrefix("SWITCHBOARD_")
    }
    let home = try ChildProcess.temporaryDirectory("home")
    environment["HOME"] = home
    environment["AWS_CONFIG_FILE"] = home + "/no-aws-config"
    environment["AWS_SHARED_CREDENTIALS_FILE"] = home + "/no-aws-credentials"
    environment["AWS_EC2_METADATA_DISABLED"] = "true"
    for (key, value) in extra { environment[key] = value }
    return environment
  }

  /// Runs `switchboard ARGUMENTS` with `environment` (see `isolatedEnvironment`); kills it after `timeout`.
  static func run(_ arguments: [String], environment: [String: String], timeout: Double = 120) async throws
    -> CommandResult
  {
    let directory = try ChildProcess.temporaryDirectory("run")
    let outPath = directory + "/stdout"
    let errPath = directory + "/stderr"
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try path())
    process.arguments = arguments
    process.environment = environment
    process.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot)
    process.standardOutput = FileHandle(forWritingAtPath: outPath)
    process.standardError = FileHandle(forWritingAtPath: errPath)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      throw HarnessError("switchboard \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
    }
    process.waitUntilExit()
    return CommandResult(
      status: process.terminationStatus,
      stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
  }
}
