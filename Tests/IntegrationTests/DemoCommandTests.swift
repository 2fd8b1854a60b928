import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The README's first command, followed as a newcomer would: run `switchboard demo`, then type the three commands
/// it prints, exactly as printed, in a shell.
@Suite("switchboard demo", .serialized)
struct DemoCommandTests {
  /// A running `switchboard demo` and what it printed.
  final class Demo: @unchecked Sendable {
    let process = Process()
    let logPath: String

    init(data: String, extra: [String] = []) async throws {
      logPath = try ChildProcess.temporaryDirectory("demo") + "/demo.log"
      _ = FileManager.default.createFile(atPath: logPath, contents: nil)
      let log = FileHandle(forWritingAtPath: logPath)
      process.executableURL = URL(fileURLWithPath: try SwitchboardBinary.path())
      process.arguments = ["demo", "--ports", "0,0,0,0", "--data", data] + extra
      process.environment = try SwitchboardBinary.isolatedEnvironment([:])
      process.currentDirectoryURL = URL(fileURLWithPath: SwitchboardBinary.repositoryRoot)
      process.standardOutput = log
      process.standardError = log
      process.standardInput = FileHandle.nullDevice
      try process.run()
      let deadline = Date().addingTimeInterval(60)
      while !output.contains("Ctrl-C stops everything.") {
        guard process.isRunning, Date() < deadline else {
          stop()
          throw HarnessError("switchboard demo did not get ready:\n\(output)")
        }
        try await Task.sleep(nanoseconds: 50_000_000)
      }
    }

    var output: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The printed line that starts with `prefix` (after its indentation).
    func command(startingWith prefix: String) throws -> String {
      let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
      return try #require(
        lines.first { $0.hasPrefix(prefix) }, "no line starting with \(prefix) in:\n\(output)")
    }

    /// The printed `switchboard override create …` line.
    func overrideCommand() throws -> String {
      let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
      return try #require(
        lines.first { $0.contains(" override create ") }, "no override command in:\n\(output)")
    }

    /// The dashboard's URL, from "Dashboard on URL".
    func dashboard() throws -> String {
      String(try command(startingWith: "Dashboard on ").dropFirst("Dashboard on ".count))
    }

    func stop() {
      if process.isRunning { kill(process.processIdentifier, SIGKILL) }
      process.waitUntilExit()
    }

    deinit { stop() }
  }

  /// Runs a printed command line in `sh` in the repository's folder (where the README runs the demo), as a user
  /// pasting it would; bounded by `timeout`.
  static func shell(_ line: String, timeout: Double = 20) async throws -> (status: Int32, out: String) {
    let sh = try ExternalTool("timeout", package: "coreutils")
    let root = SwitchboardBinary.repositoryRoot
    let (status, out, err) = try await sh.run(["\(Int(timeout))", "/bin/sh", "-c", "cd '\(root)' && " + line])
    return (status, out + err)
  }

  @Test(
    "Given the demo, when its three printed commands are typed as printed, then DNS moves to the secondary within 5 s and the override is made"
  )
  func printedCommandsWork() async throws {
    let data = try ChildProcess.temporaryDirectory("demo-data")
    let demo = try await Demo(data: data)
    let fail = try demo.command(startingWith: "curl -X POST http://")
    let dig = try demo.command(startingWith: "dig @")
    let freeze = try demo.overrideCommand()
    #expect(fail.hasSuffix("/simulate-failure"))
    #expect(freeze.contains(" override create "))

    // Before: the primary's address.
    var answer = try await Self.shell(dig)
    #expect(answer.status == 0, "\(answer.out)")
    #expect(answer.out.trimmingCharacters(in: .whitespacesAndNewlines) == "192.0.2.10", "\(answer.out)")

    let failed = Date()
    let failure = try await Self.shell(fail)
    #expect(failure.status == 0, "\(failure.out)")
    while Date().timeIntervalSince(failed) < 5 {
      answer = try await Self.shell(dig)
      if answer.out.trimmingCharacters(in: .whitespacesAndNewlines) == "192.0.2.20" { break }
      try await Task.sleep(nanoseconds: 100_000_000)
    }
    let moved = Date().timeIntervalSince(failed)
    #expect(
      answer.out.trimmingCharacters(in: .whitespacesAndNewlines) == "192.0.2.20",
      "after \(moved) s dig still says \(answer.out)\n\(demo.output)")

    let override = try await Self.shell(freeze)
    #expect(override.status == 0, "\(override.out)")
    #expect(override.out.contains("Created "), "\(override.out)")

    // Ctrl-C stops everything within 2 s: the process, its listeners.
    let dashboard = try demo.dashboard()
    kill(demo.process.processIdentifier, SIGINT)
    let stopping = Date()
    while demo.process.isRunning && Date().timeIntervalSince(stopping) < 2 {
      try await Task.sleep(nanoseconds: 20_000_000)
    }
    #expect(!demo.process.isRunning, "demo still running 2 s after SIGINT")
    let after = try await Self.shell("curl -s -m 1 -o /dev/null -w '%{http_code}' \(dashboard)/healthz")
    #expect(after.out == "000", "the API still answers after the demo stopped: \(after.out)")
  }

  @Test(
    "Given a demo that ran, when it runs again, then it keeps its store; with --reset it starts from an empty one"
  )
  func secondRunAndReset() async throws {
    let data = try ChildProcess.temporaryDirectory("demo-data")
    let first = try await Demo(data: data)
    let freeze = try first.overrideCommand()
    #expect(try await Self.shell(freeze).status == 0)
    kill(first.process.processIdentifier, SIGTERM)
    first.process.waitUntilExit()

    func overrides(_ demo: Demo) async throws -> String {
      let list = try demo.overrideCommand().replacingOccurrences(
        of: " override create ", with: " override list ")
      let cut = try #require(list.range(of: " --scope "))
      return try await Self.shell(String(list[..<cut.lowerBound])).out
    }
    let second = try await Demo(data: data)
    let listed = try await overrides(second)
    #expect(listed.contains("trying the demo"), "the second run lost the first's override: \(listed)")
    kill(second.process.processIdentifier, SIGTERM)
    second.process.waitUntilExit()

    let third = try await Demo(data: data, extra: ["--reset"])
    #expect(try await !overrides(third).contains("trying the demo"), "--reset kept the old store")
  }
}
