import FailoverCore
import Foundation
import Store
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Kills a real process with SIGKILL while it journals, then checks what survived.
///
/// The child is this test binary running `journalUntilKilled` (enabled only by an environment variable): it
/// journals steps in a loop and prints `ACK n` after each write returns.
@Suite("Crash safety")
struct CrashSafetyTests {
  static let childVariable = "SWITCHBOARD_STORE_CRASH_CHILD"
  static let workflowID = "wf-crash"

  @Test(
    "Child process: journals steps until it is killed",
    .enabled(if: ProcessInfo.processInfo.environment[childVariable] != nil))
  func journalUntilKilled() async throws {
    let path = try #require(ProcessInfo.processInfo.environment[Self.childVariable])
    let store = try SQLiteStore(path: path)
    try await store.begin(Fixture.plan(Self.workflowID), events: [Fixture.event(.workflowStarted)])
    let first = try await store.entries(workflowID: Self.workflowID).count
    for n in first..<(first + 100_000) {
      try await store.append(
        Fixture.entry(Self.workflowID, index: n, .waitForSync, .retrying, at: Double(n)),
        events: [
          Fixture.event(.workflowStepRetried, at: Double(n)), Fixture.event(.metricsFailed, at: Double(n)),
        ])
      FileHandle.standardOutput.write(Data("ACK \(n + 1)\n".utf8))
    }
  }

  @Test("SIGKILL mid-journal loses no acknowledged write, splits none, and the workflow then completes once")
  func killMidJournal() async throws {
    let folder = try TemporaryFolder()
    let path = folder.path()
    var acknowledged = 0
    for round in 1...3 {
      let acked = try await Self.runChildUntilKilled(path: path, killAfter: acknowledged + 25 * round)
      #expect(acked > acknowledged, "round \(round): the child acknowledged nothing new")
      acknowledged = acked

      let store = try SQLiteStore(path: path)
      let entries = try await store.entries(workflowID: Self.workflowID)
      let retried = try await store.events(EventQuery(kinds: [.workflowStepRetried], limit: 1000)).events
      let metrics = try await store.events(EventQuery(kinds: [.metricsFailed], limit: 1000)).events
      #expect(entries.count >= acknowledged, "round \(round): an acknowledged step was lost")
      #expect(entries.map(\.index) == Array(0..<entries.count))
      #expect(retried.count == entries.count && metrics.count == entries.count)
      #expect(try await store.lastEventSeq() == Int64(1 + 2 * entries.count))
      #expect(try await store.verifyChain().isIntact)
      #expect(try await store.unfinishedWorkflows().map(\.id) == [Self.workflowID])
      print(
        "crash round \(round): child acknowledged \(acked) steps, store holds \(entries.count) after SIGKILL")
      acknowledged = entries.count
    }

    let store = try SQLiteStore(path: path)
    let timings = WorkflowTimings(decidedAt: Fixture.at(0), finishedAt: Fixture.at(999))
    try await store.finish(
      Self.workflowID, outcome: .succeeded, timings: timings,
      events: [Fixture.event(.workflowSucceeded, at: 999)])
    try await store.finish(
      Self.workflowID, outcome: .succeeded, timings: timings,
      events: [Fixture.event(.workflowSucceeded, at: 999)])
    #expect(try await store.unfinishedWorkflows().isEmpty)
    #expect(try await store.events(EventQuery(kinds: [.workflowSucceeded])).events.count == 1)
    #expect(try await store.transitions(since: .distantPast).count == 1)
    #expect(try await store.verifyChain().isIntact)
  }

  /// Starts the child on `path`, SIGKILLs it once it has acknowledged `killAfter` steps (or after 120 s), and
  /// returns the highest step number it acknowledged.
  static func runChildUntilKilled(path: String, killAfter: Int) async throws -> Int {
    let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    let child = Process()
    child.executableURL = URL(fileURLWithPath: executable)
    child.arguments = ["--testing-library", "swift-testing", "--filter", "journalUntilKilled"]
    var environment = ProcessInfo.processInfo.environment
    environment[childVariable] = path
    child.environment = environment
    let output = Pipe()
    child.standardOutput = output
    child.standardError = FileHandle.nullDevice
    try child.run()
    let pid = child.processIdentifier
    let watchdog = DispatchWorkItem { _ = kill(pid, SIGKILL) }
    DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: watchdog)
    defer { watchdog.cancel() }

    let acked: Int = await withCheckedContinuation { continuation in
      DispatchQueue.global().async {
        var highest = 0
        var pending = ""
        var killed = false
        while true {
          let chunk = output.fileHandleForReading.availableData
          if chunk.isEmpty { break }
          pending += String(decoding: chunk, as: UTF8.self)
          var lines = pending.components(separatedBy: "\n")
          pending = lines.removeLast()
          for line in lines where line.hasPrefix("ACK ") {
            highest = max(highest, Int(line.dropFirst(4)) ?? 0)
          }
          if !killed && highest >= killAfter {
            // A random pause of up to 3 ms lands the kill at varying points of the next writes.
            usleep(UInt32.random(in: 0...3000))
            _ = kill(pid, SIGKILL)
            killed = true
          }
        }
        continuation.resume(returning: highest)
      }
    }
    child.waitUntilExit()
    #expect(child.terminationReason == .uncaughtSignal, "the child ended by itself instead of being killed")
    return acked
  }
}
