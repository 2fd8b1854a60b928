import Configuration
import Foundation
import Switchboard
import Testing

@Suite("Configuration: storage.tls files")
struct ConfigEtcdTLSTests {
  static func storage(_ tls: String) -> String {
    ConfigSecretTests.yaml(
      "storage:\n  backend: etcd\n  endpoints: [https://127.0.0.1:2379]\n  tls:\n" + tls)
  }

  @Test(
    "Given storage.tls files that are missing, not PEM, or a directory, then each is a problem naming its key and line"
  )
  func badFilesAreProblems() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let notPEM = directory.appendingPathComponent("key.txt").path
    try "not a key".write(toFile: notPEM, atomically: true, encoding: .utf8)

    let problems = ConfigValidator.validate(
      yaml: Self.storage(
        "    ca_file: \(directory.path)/missing.pem\n    cert_file: \(directory.path)\n    key_file: \(notPEM)\n"
      ))

    #expect(problems.map(\.line) == [5, 6, 7], "\(problems)")
    #expect(problems[0].message.contains("`storage.tls.ca_file`"))
    #expect(problems[0].message.contains("does not exist"))
    #expect(problems[1].message.contains("`storage.tls.cert_file`"))
    #expect(problems[1].message.contains("is a directory"))
    #expect(problems[2].message.contains("`storage.tls.key_file`"))
    #expect(problems[2].message.contains("is not a PEM file"))
  }

  @Test("Given storage.tls files that exist and hold PEM blocks, then the configuration is valid")
  func pemFilesAccepted() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    for name in ["ca.pem", "client.pem", "client-key.pem"] {
      try "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n".write(
        toFile: directory.appendingPathComponent(name).path, atomically: true, encoding: .utf8)
    }
    let d = directory.path

    let config = try SwitchboardConfig.parse(
      yaml: Self.storage(
        "    ca_file: \(d)/ca.pem\n    cert_file: \(d)/client.pem\n    key_file: \(d)/client-key.pem\n"))

    #expect(
      config.etcd?.tls
        == EtcdTLSSettings(caFile: "\(d)/ca.pem", certFile: "\(d)/client.pem", keyFile: "\(d)/client-key.pem")
    )
  }
}
