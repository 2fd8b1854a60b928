import Foundation
import TestPeers

/// BIND `named` (Debian `bind9`) in the foreground on a free loopback port, serving `example.com` with
/// `api.example.com A 192.0.2.10` and letting the TSIG key `sb-key` (HMAC-SHA256) update the zone.
final class NamedServer: @unchecked Sendable {
  let port: Int
  let directory: String
  /// The key's base64 secret, as tsig-keygen printed it.
  let secret: String
  private let process = Process()

  init() async throws {
    guard
      let named = ChildProcess.which("named")
        ?? ["/usr/sbin/named"].first(where: FileManager.default.fileExists)
    else {
      throw HarnessError(
        "named is not installed: install Debian's bind9 package (scripts/install-prerequisites does).")
    }
    port = try freeLoopbackPort()
    directory = try ChildProcess.temporaryDirectory("named")
    secret = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    let key = "key \"sb-key\" { algorithm hmac-sha256; secret \"\(secret)\"; };\n"
    try key.write(toFile: directory + "/key.conf", atomically: true, encoding: .utf8)
    try """
    $TTL 60
    @ IN SOA ns1.example.com. hostmaster.example.com. 1 3600 600 604800 60
    @ IN NS ns1.example.com.
    ns1 IN A 127.0.0.1
    api IN A 192.0.2.10

    """.write(toFile: directory + "/db.example.com", atomically: true, encoding: .utf8)
    try """
    include "\(directory)/key.conf";
    options { directory "\(directory)"; listen-on port \(port) { 127.0.0.1; }; listen-on-v6 { none; };
              pid-file "\(directory)/named.pid"; recursion no; dnssec-validation no; };
    controls { };
    zone "example.com" { type primary; file "\(directory)/db.example.com";
                         update-policy { grant sb-key zonesub ANY; }; };

    """.write(toFile: directory + "/named.conf", atomically: true, encoding: .utf8)
    process.executableURL = URL(fileURLWithPath: named)
    process.arguments = ["-g", "-c", directory + "/named.conf", "-u", "root"]
    let log = directory + "/named.log"
    _ = FileManager.default.createFile(atPath: log, contents: nil)
    process.standardOutput = FileHandle(forWritingAtPath: log)
    process.standardError = FileHandle(forWritingAtPath: log)
    try process.run()
    let dig = try Dig()
    for _ in 0..<100 {
      if let answer = try? await dig.short("api.example.com", "A", port: port), answer == ["192.0.2.10"] {
        return
      }
      guard process.isRunning else {
        throw HarnessError("named exited: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
      }
      try await Task.sleep(nanoseconds: 100_000_000)
    }
    stop()
    throw HarnessError(
      "named did not answer within 10 s: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
  }

  /// Changes a record with nsupdate, as someone other than Switchboard would.
  func nsupdate(_ commands: String) async throws {
    let tool = try ExternalTool("nsupdate", package: "bind9-dnsutils")
    let script = directory + "/update-\(UUID().uuidString).txt"
    try "server 127.0.0.1 \(port)\nzone example.com\n\(commands)\nsend\n".write(
      toFile: script, atomically: true, encoding: .utf8)
    let result = try await tool.run(["-y", "hmac-sha256:sb-key:\(secret)", script])
    guard result.status == 0 else { throw HarnessError("nsupdate failed: \(result.err)") }
  }

  func stop() {
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
    }
  }
}

/// `dig` (Debian `bind9-dnsutils`) against a loopback server.
struct Dig {
  let tool: ExternalTool
  init() throws { tool = try ExternalTool("dig", package: "bind9-dnsutils") }

  /// The full output of `dig @127.0.0.1 -p PORT NAME TYPE` plus options (bounded: 2 s, 1 try).
  func query(_ name: String, _ type: String, port: Int, _ options: [String] = []) async throws -> String {
    let result = try await tool.run(
      ["@127.0.0.1", "-p", String(port), name, type, "+time=2", "+tries=1"] + options)
    return result.out
  }

  /// The answer's values (`+short`).
  func short(_ name: String, _ type: String, port: Int) async throws -> [String] {
    try await query(name, type, port: port, ["+short"]).split(separator: "\n").map(String.init)
  }

  /// The SOA serial the server answers for the zone.
  func serial(_ zone: String, port: Int) async throws -> Int? {
    try await short(zone, "SOA", port: port).first.flatMap { line in
      let fields = line.split(separator: " ")
      return fields.count >= 3 ? Int(fields[2]) : nil
    }
  }
}
