import Foundation
import Testing

@Suite("switchboard validate")
struct ValidateCommandTests {
  @Test(
    "Given a shipped example, when validated, then it is valid and summarized on one line",
    arguments: [
      "two-region.yaml", "weighted.yaml", "failover-health-check.yaml", "builtin-dns.yaml", "demo.yaml",
      "cluster.yaml",
    ])
  func examplesAreValid(_ name: String) async throws {
    let path = SwitchboardBinary.repositoryRoot + "/examples/" + name
    let result = try await SwitchboardBinary.run(
      ["validate", path], environment: try SwitchboardBinary.isolatedEnvironment([:]))
    #expect(result.status == 0, "\(result)")
    #expect(result.lines == ["\(path): valid (1 service, 2 regions)"], "\(result)")
  }

  @Test(
    "Given a file with several problems, when validated, then each is listed as FILE:line:column and it exits 1"
  )
  func brokenFileListsEveryProblem() async throws {
    let directory = try ChildProcess.temporaryDirectory("validate")
    let path = directory + "/broken.yaml"
    let yaml = """
      listen: 127.0.0.1:8080
      regions:
        - id: us-east-1
      services:
        - id: api
          dns_name: api.example.com
          hosted_zone: example.com
          routing: recrod
          ttl: -5
          regions:
            - region: us-east-2
              target: 192.0.2.10
              signals:
                - type: http
                  url: http://127.0.0.1:9001/health
      """
    try yaml.write(toFile: path, atomically: true, encoding: .utf8)

    let result = try await SwitchboardBinary.run(
      ["validate", path], environment: try SwitchboardBinary.isolatedEnvironment([:]))

    #expect(result.status == 1, "\(result)")
    let lines = result.lines
    #expect(lines.count == 3, "\(result)")
    #expect(lines.allSatisfy { $0.hasPrefix(path + ":") }, "\(result)")
    #expect(
      lines.contains { $0.hasPrefix("\(path):8:14: ") && $0.contains("did you mean record?") }, "\(result)")
    #expect(lines.contains { $0.hasPrefix("\(path):9:10: ") && $0.contains("ttl") }, "\(result)")
    #expect(lines.contains { $0.hasPrefix("\(path):11:17: ") && $0.contains("us-east-2") }, "\(result)")
    #expect(result.stderr.contains("3 problems"), "\(result)")
  }

  @Test("Given a file that does not exist, when validated, then it says so and exits 1")
  func missingFile() async throws {
    let result = try await SwitchboardBinary.run(
      ["validate", "/nonexistent/switchboard.yaml"],
      environment: try SwitchboardBinary.isolatedEnvironment([:]))
    #expect(result.status == 1, "\(result)")
    #expect(
      result.stdout.hasPrefix("/nonexistent/switchboard.yaml:1:1: The file cannot be read"), "\(result)")
  }
}
