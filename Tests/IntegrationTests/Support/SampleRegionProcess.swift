import Foundation

/// A `switchboard sample-region` child process on a free loopback port, told to fail or recover over HTTP.
final class SampleRegionProcess: Sendable {
  let child: ChildProcess
  let port: Int

  init(region: String) async throws {
    let logPath = try ChildProcess.temporaryDirectory("sample-\(region)") + "/sample.log"
    child = try ChildProcess(
      executable: try SwitchboardBinary.path(),
      arguments: ["sample-region", "--region", region, "--listen", "127.0.0.1:0"], logPath: logPath)
    let deadline = Date().addingTimeInterval(30)
    while Date() < deadline {
      if let line = child.log.split(separator: "\n").first(where: { $0.contains("listening on 127.0.0.1:") }),
        let port = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) })
      {
        self.port = port
        return
      }
      guard child.process.isRunning else { throw HarnessError("sample-region exited:\n\(child.log)") }
      try await Task.sleep(nanoseconds: 50_000_000)
    }
    child.stop()
    throw HarnessError("sample-region \(region) did not report its port within 30 s:\n\(child.log)")
  }

  /// Its `/health` URL.
  var healthURL: String { "http://127.0.0.1:\(port)/health" }

  /// `/health` answers 503 from now on.
  func fail() async throws {
    guard try await HTTP.post("http://127.0.0.1:\(port)/simulate-failure").status == 200 else {
      throw HarnessError("sample-region on \(port) refused /simulate-failure")
    }
  }

  /// `/health` answers 200 from now on.
  func recover() async throws {
    guard try await HTTP.post("http://127.0.0.1:\(port)/recover").status == 200 else {
      throw HarnessError("sample-region on \(port) refused /recover")
    }
  }

  func stop() { child.stop() }
}
