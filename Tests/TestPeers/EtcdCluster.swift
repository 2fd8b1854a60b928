import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A three-member (or one-member) etcd cluster on loopback, started by the tests from Debian's `etcd-server`
/// (`/usr/bin/etcd`), each member in its own data directory. Members can be stopped, killed, paused and restarted
/// one by one; `stopAll` stops them all, and deinit also removes their data.
public final class EtcdCluster: @unchecked Sendable {
  /// The members' client URLs, in member order.
  public let clientURLs: [URL]
  private let peerPorts: [Int]
  private let clientPorts: [Int]
  private let directory: String
  private let lock = NSLock()
  private var members: [ChildProcess?]
  /// The certificates of a TLS cluster (clients must present `clientCertFile`), nil for plain HTTP.
  public let tls: EtcdTLSFiles?

  /// Starts `size` members and waits (at most 30 s) until every one answers `/health`. With `tls`, the members
  /// serve clients on `https://127.0.0.1` with `tls.serverCertFile` and demand a client certificate signed by
  /// `tls.caFile` (`--client-cert-auth`); the members talk to each other in plain HTTP.
  public init(size: Int = 3, tls: EtcdTLSFiles? = nil) async throws {
    self.tls = tls
    guard
      let etcd = ChildProcess.which("etcd")
        ?? (FileManager.default.isExecutableFile(atPath: "/usr/bin/etcd") ? "/usr/bin/etcd" : nil)
    else {
      throw HarnessError(
        "etcd is not installed. Install Debian's etcd-server (`apt-get install etcd-server`).")
    }
    var clients: [Int] = []
    var peers: [Int] = []
    for _ in 0..<size {
      clients.append(try freeLoopbackPort())
      peers.append(try freeLoopbackPort())
    }
    clientPorts = clients
    peerPorts = peers
    clientURLs = clients.map { URL(string: "\(tls == nil ? "http" : "https")://127.0.0.1:\($0)")! }
    directory = try ChildProcess.temporaryDirectory("etcd")
    members = Array(repeating: nil, count: size)
    executable = etcd
    for index in 0..<size { try launch(index) }
    try await waitHealthy(Array(0..<size))
  }

  private let executable: String

  private func name(_ index: Int) -> String { "m\(index + 1)" }

  private func launch(_ index: Int) throws {
    let cluster = (0..<peerPorts.count).map { "\(name($0))=http://127.0.0.1:\(peerPorts[$0])" }
      .joined(separator: ",")
    let process = try ChildProcess(
      executable: executable,
      arguments: [
        "--name", name(index), "--data-dir", "\(directory)/\(name(index))",
        "--listen-client-urls", clientURLs[index].absoluteString,
        "--advertise-client-urls", clientURLs[index].absoluteString,
        "--listen-peer-urls", "http://127.0.0.1:\(peerPorts[index])",
        "--initial-advertise-peer-urls", "http://127.0.0.1:\(peerPorts[index])",
        "--initial-cluster", cluster, "--initial-cluster-state", "new",
        "--initial-cluster-token", "switchboard-test",
        "--heartbeat-interval", "100", "--election-timeout", "1000",
      ] + tlsArguments,
      logPath: "\(directory)/\(name(index)).log")
    lock.withLock { members[index] = process }
  }

  private var tlsArguments: [String] {
    guard let tls else { return [] }
    return [
      "--cert-file", tls.serverCertFile, "--key-file", tls.serverKeyFile, "--client-cert-auth",
      "--trusted-ca-file", tls.caFile,
    ]
  }

  /// Waits until the given members answer `GET /health` with `"health":"true"` (at most `seconds`).
  public func waitHealthy(_ indexes: [Int], seconds: Double = 30) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    for index in indexes {
      while true {
        let url = clientURLs[index].appendingPathComponent("health")
        if let (status, body) = try? await health(url), status == 200,
          String(decoding: body, as: UTF8.self).contains("true")
        {
          break
        }
        guard Date() < deadline else {
          throw HarnessError("etcd member \(name(index)) is not healthy after \(seconds) s:\n\(log(index))")
        }
        try await Task.sleep(nanoseconds: 100_000_000)
      }
    }
  }

  /// `GET /health`: URLSession for plain HTTP, curl with the test CA and client certificate for TLS.
  private func health(_ url: URL) async throws -> (Int, Data) {
    guard let tls else { return try await MotoServer.request("GET", url) }
    return try await withCheckedThrowingContinuation { continuation in
      Thread.detachNewThread { continuation.resume(with: Result { try Self.curlHealth(url, tls: tls) }) }
    }
  }

  private static func curlHealth(_ url: URL, tls: EtcdTLSFiles) throws -> (Int, Data) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments = [
      "-s", "-m", "2", "-o", "-", "-w", "\n%{http_code}", "--cacert", tls.caFile, "--cert",
      tls.clientCertFile,
      "--key", tls.clientKeyFile, url.absoluteString,
    ]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    let status = Int(text.split(separator: "\n").last ?? "") ?? 0
    return (status, Data(text.utf8))
  }

  /// A member's output so far.
  public func log(_ index: Int) -> String {
    (try? String(contentsOfFile: "\(directory)/\(name(index)).log", encoding: .utf8)) ?? ""
  }

  /// The process id of a running member, nil when it is stopped.
  public func pid(_ index: Int) -> Int32? {
    lock.withLock {
      members[index]?.process.isRunning == true ? members[index]?.process.processIdentifier : nil
    }
  }

  /// Stops a member (SIGTERM, then SIGKILL) and waits for it.
  public func stop(_ index: Int) {
    let member = lock.withLock { () -> ChildProcess? in
      defer { members[index] = nil }
      return members[index]
    }
    member?.stop()
  }

  /// Kills a member with SIGKILL and waits for it.
  public func kill(_ index: Int) {
    let member = lock.withLock { () -> ChildProcess? in
      defer { members[index] = nil }
      return members[index]
    }
    guard let member else { return }
    Glibc.kill(member.process.processIdentifier, SIGKILL)
    member.process.waitUntilExit()
  }

  /// Restarts a stopped member on its data directory and waits until it is healthy.
  public func restart(_ index: Int) async throws {
    try launch(index)
    try await waitHealthy([index])
  }

  /// Stops every member.
  public func stopAll() {
    for index in 0..<clientPorts.count { stop(index) }
  }

  /// Stops every member and removes the data directory: three members preallocate about 384 MB of WAL, and a
  /// test run starts some twenty-five clusters. `SWITCHBOARD_KEEP_TEST_FILES=1` keeps it for a post-mortem.
  deinit {
    stopAll()
    removeData()
  }

  /// For an exit handler of a cluster shared by the whole run (never deinitialized): SIGKILLs the members without
  /// waiting (etcd does not notice its parent going away) and removes the data directory.
  public func killAtExit() {
    for index in 0..<clientPorts.count {
      if let pid = pid(index) { Glibc.kill(pid, SIGKILL) }
    }
    removeData()
  }

  private func removeData() {
    if ProcessInfo.processInfo.environment["SWITCHBOARD_KEEP_TEST_FILES"] == nil {
      try? FileManager.default.removeItem(atPath: directory)
    }
  }
}
