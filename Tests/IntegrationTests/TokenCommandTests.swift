import Foundation
import Testing

@Suite("switchboard token create")
struct TokenCommandTests {
  @Test(
    "Given a name and role, when a token is created, then it is 32 random bytes and the line holds its SHA-256"
  )
  func tokenMatchesItsLine() async throws {
    let environment = try SwitchboardBinary.isolatedEnvironment([:])
    let result = try await SwitchboardBinary.run(
      ["token", "create", "ci-bot", "--role", "operator"], environment: environment)
    #expect(result.status == 0, "\(result)")
    let lines = result.lines
    try #require(lines.count == 2, "\(result)")
    let token = lines[0]
    #expect(
      token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }, "not base64url: \(token)")
    #expect(decodeBase64URL(token)?.count == 32, "\(token)")
    let digest = try sha256sum(token)
    #expect(lines[1] == "- { name: ci-bot, role: operator, sha256: \(digest) }", "\(result)")

    let again = try await SwitchboardBinary.run(
      ["token", "create", "ci-bot", "--role", "operator"], environment: environment)
    #expect(again.lines.first != token, "two tokens must differ")
  }

  @Test("Given the printed line, when pasted into auth.tokens, then the configuration is valid")
  func printedLineIsValidConfiguration() async throws {
    let environment = try SwitchboardBinary.isolatedEnvironment([:])
    let result = try await SwitchboardBinary.run(
      ["token", "create", "night shift: \"ops\"", "--role", "admin"], environment: environment)
    #expect(result.status == 0, "\(result)")
    let line = try #require(result.lines.last)
    let path = try ChildProcess.temporaryDirectory("token") + "/config.yaml"
    let example = try String(
      contentsOfFile: SwitchboardBinary.repositoryRoot + "/examples/two-region.yaml", encoding: .utf8)
    try example.replacingOccurrences(of: "  tokens: []", with: "  tokens:\n    \(line)")
      .write(toFile: path, atomically: true, encoding: .utf8)
    let validated = try await SwitchboardBinary.run(["validate", path], environment: environment)
    #expect(validated.status == 0, "\(validated)\n\(line)")
  }

  @Test("Given an unknown role, when a token is created, then it is refused")
  func unknownRole() async throws {
    let result = try await SwitchboardBinary.run(
      ["token", "create", "x", "--role", "root"], environment: try SwitchboardBinary.isolatedEnvironment([:]))
    #expect(result.status != 0, "\(result)")
    #expect(result.stdout.isEmpty, "\(result)")
  }

  /// The SHA-256 as coreutils computes it, independent of Switchboard's code.
  private func sha256sum(_ text: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sha256sum"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(text.utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
  }

  private func decodeBase64URL(_ text: String) -> Data? {
    var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while base64.count % 4 != 0 { base64 += "=" }
    return Data(base64Encoded: base64)
  }
}
