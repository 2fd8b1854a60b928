import Foundation

#if canImport(Glibc)
  import Glibc
#endif
#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A running `switchboard serve` child process on a free loopback port, which tests signal (SIGHUP, SIGTERM,
/// SIGKILL) and query over HTTP. Its output goes to a log file the failures show.
final class ServeProcess: @unchecked Sendable {
  let process = Process()
  let port: Int
  let logPath: String

  /// Starts `switchboard serve --config CONFIG --listen 127.0.0.1:PORT` and waits (bounded) for /healthz.
  init(
    config: String, environment: [String: String], extraArguments: [String] = [],
    readyWithin seconds: Double = 60
  ) async throws {
    port = try freeLoopbackPort()
    logPath = try ChildProcess.temporaryDirectory("serve") + "/serve.log"
    _ = FileManager.default.createFile(atPath: logPath, contents: nil)
    let log = FileHandle(forWritingAtPath: logPath)
    process.executableURL = URL(fileURLWithPath: try SwitchboardBinary.path())
    process.arguments =
      [
        "serve", "--config", config, "--listen", "127.0.0.1:\(port)", "--shutdown-grace", "2",
      ] + extraArguments
    process.environment = environment
    process.currentDirectoryURL = URL(fileURLWithPath: SwitchboardBinary.repositoryRoot)
    process.standardOutput = log
    process.standardError = log
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if let answer = try? await HTTP.get("\(base)/healthz", timeout: 2), answer.status == 200 { return }
      guard process.isRunning else {
        throw HarnessError(
          "switchboard serve exited with \(process.terminationStatus) before it was ready:\n\(output)")
      }
      try await Task.sleep(nanoseconds: 50_000_000)
    }
    kill()
    throw HarnessError("switchboard serve did not answer /healthz within \(seconds) s:\n\(output)")
  }

  /// `http://127.0.0.1:PORT`.
  var base: String { "http://127.0.0.1:\(port)" }

  /// Everything the process wrote so far.
  var output: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

  /// Sends a signal.
  func signal(_ number: Int32) { _ = Glibc.kill(process.processIdentifier, number) }

  /// SIGKILL and reap: the process gets no chance to clean up.
  func kill() {
    if process.isRunning { signal(SIGKILL) }
    process.waitUntilExit()
  }

  /// Waits (bounded) for the process to exit by itself and returns its status, or nil if it is still running.
  func waitForExit(seconds: Double) async throws -> Int32? {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning && Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
    if process.isRunning { return nil }
    process.waitUntilExit()
    return process.terminationStatus
  }

  deinit { kill() }
}

/// Plain HTTP calls from the tests (status, headers, body).
enum HTTP {
  struct Answer {
    var status: Int
    var headers: [String: String]
    var body: String
    func header(_ name: String) -> String? {
      headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
  }

  static func get(_ url: String, timeout: Double = 10, headers: [String: String] = [:]) async throws -> Answer
  {
    try await request("GET", url, timeout: timeout, headers: headers)
  }

  static func post(_ url: String, timeout: Double = 10) async throws -> Answer {
    try await request("POST", url, timeout: timeout)
  }

  static func request(_ method: String, _ url: String, timeout: Double, headers: [String: String] = [:])
    async throws -> Answer
  {
    var request = URLRequest(
      url: URL(string: url)!, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
    request.httpMethod = method
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    if method == "POST" { request.httpBody = Data() }
    let (data, response) = try await URLSession.shared.data(for: request)
    let http = response as? HTTPURLResponse
    var headers: [String: String] = [:]
    for (key, value) in http?.allHeaderFields ?? [:] {
      headers["\(key)"] = "\(value)"
    }
    return Answer(
      status: http?.statusCode ?? 0, headers: headers, body: String(decoding: data, as: UTF8.self))
  }
}
