import Foundation

/// Certificates for an etcd cluster on TLS loopback, made with `openssl` in a temporary directory: a CA, a server
/// certificate for 127.0.0.1 (IP SAN; server and client use, since etcd's gateway dials its own port with it), a
/// client certificate signed by the CA, and a second, unrelated CA (to show a wrong `ca_file` is refused).
public struct EtcdTLSFiles: Sendable {
  /// The directory holding every file.
  public let directory: String
  public var caFile: String { "\(directory)/ca.pem" }
  public var serverCertFile: String { "\(directory)/server.pem" }
  public var serverKeyFile: String { "\(directory)/server-key.pem" }
  public var clientCertFile: String { "\(directory)/client.pem" }
  public var clientKeyFile: String { "\(directory)/client-key.pem" }
  /// A CA that signed none of the above.
  public var otherCAFile: String { "\(directory)/other-ca.pem" }

  /// Makes the files (EC P-256 keys, valid one day).
  public init() throws {
    directory = try ChildProcess.temporaryDirectory("etcd-tls")
    let d = directory
    try Self.write("\(d)/server.ext", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n")
    try Self.write("\(d)/client.ext", "extendedKeyUsage=clientAuth\n")
    for ca in ["ca", "other-ca"] {
      try Self.openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "\(d)/\(ca)-key.pem"])
      try Self.openssl([
        "req", "-x509", "-new", "-key", "\(d)/\(ca)-key.pem", "-sha256", "-days", "1", "-subj",
        "/CN=switchboard test \(ca)", "-out", "\(d)/\(ca).pem",
      ])
    }
    for (name, subject) in [("server", "/CN=127.0.0.1"), ("client", "/CN=switchboard")] {
      try Self.openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "\(d)/\(name)-ec.pem"])
      // PKCS#8, the form every TLS stack reads.
      try Self.openssl([
        "pkcs8", "-topk8", "-nocrypt", "-in", "\(d)/\(name)-ec.pem", "-out", "\(d)/\(name)-key.pem",
      ])
      try Self.openssl([
        "req", "-new", "-key", "\(d)/\(name)-key.pem", "-subj", subject, "-out", "\(d)/\(name).csr",
      ])
      try Self.openssl([
        "x509", "-req", "-in", "\(d)/\(name).csr", "-CA", "\(d)/ca.pem", "-CAkey", "\(d)/ca-key.pem",
        "-CAcreateserial", "-days", "1", "-sha256", "-extfile", "\(d)/\(name).ext", "-out",
        "\(d)/\(name).pem",
      ])
    }
  }

  private static func write(_ path: String, _ text: String) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
  }

  private static func openssl(_ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: ChildProcess.which("openssl") ?? "/usr/bin/openssl")
    process.arguments = arguments
    let errors = Pipe()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = errors
    try process.run()
    let output = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw HarnessError(
        "openssl \(arguments.joined(separator: " ")) failed: \(String(decoding: output, as: UTF8.self))")
    }
  }
}
