import Foundation

/// The byte-forwarding fault proxy (`TestScripts.faultProxy`) between a client and moto.
final class FaultProxy: Sendable {
  let child: ChildProcess
  let port: Int
  private let planPath: String
  private let logPath: String

  init(upstreamPort: Int) async throws {
    let directory = try ChildProcess.temporaryDirectory("proxy")
    planPath = directory + "/plan"
    logPath = directory + "/requests.log"
    let script = try ChildProcess.script("fault_proxy.py", TestScripts.faultProxy)
    child = try ChildProcess(
      executable: "/usr/bin/env",
      arguments: ["python3", script, directory + "/port", String(upstreamPort), planPath, logPath],
      logPath: directory + "/proxy.out")
    port = try await ChildProcess.waitForPortFile(directory + "/port", process: child)
  }

  var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

  /// Queues faults (`kind[ filter]`), consumed in order by matching requests.
  func inject(_ faults: [String]) throws {
    try (faults.joined(separator: "\n") + "\n").write(toFile: planPath, atomically: true, encoding: .utf8)
  }

  /// Every request the proxy saw, one `FORWARD|FAULT kind METHOD PATH` line each.
  var requests: [String] {
    ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
  }

  /// Requests that reached moto.
  var forwarded: [String] { requests.filter { $0.hasPrefix("FORWARD") } }

  func stop() { child.stop() }
}
