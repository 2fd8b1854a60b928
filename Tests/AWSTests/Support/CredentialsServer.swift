import Foundation

/// The ECS/IMDS stand-in (`TestScripts.credentialsServer`) running on a loopback port.
final class CredentialsServer: Sendable {
  let child: ChildProcess
  let port: Int

  init() async throws {
    let directory = try ChildProcess.temporaryDirectory("creds")
    let script = try ChildProcess.script("credentials_server.py", TestScripts.credentialsServer)
    child = try ChildProcess(
      executable: "/usr/bin/env", arguments: ["python3", script, directory + "/port"],
      logPath: directory + "/log")
    port = try await ChildProcess.waitForPortFile(directory + "/port", process: child)
  }

  var base: String { "http://127.0.0.1:\(port)" }

  func stop() { child.stop() }
}
