import Foundation
import Testing

/// `GET /readyz` of a real `serve` checks the AWS services its configuration uses, and only those.
@Suite("Readiness checks what the configuration uses", .serialized)
struct ReadinessTests {
  /// The checks of a `/readyz` answer by name: (ok, detail).
  static func checks(_ answer: HTTP.Answer) -> [String: (ok: Bool, detail: String)] {
    let document = try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]
    var result: [String: (ok: Bool, detail: String)] = [:]
    for check in document?["checks"] as? [[String: Any]] ?? [] {
      result[check["name"] as? String ?? "?"] = (
        check["ok"] as? Bool ?? false, check["detail"] as? String ?? ""
      )
    }
    return result
  }

  /// `/readyz` once the engine has ticked (right after start it may not have).
  static func readiness(_ serve: ServeProcess) async throws -> HTTP.Answer {
    var answer = try await HTTP.get("\(serve.base)/readyz")
    let deadline = Date().addingTimeInterval(15)
    while Self.checks(answer)["engine"]?.ok != true, Date() < deadline {
      try await Task.sleep(nanoseconds: 200_000_000)
      answer = try await HTTP.get("\(serve.base)/readyz")
    }
    return answer
  }

  @Test(
    "Given a configuration that calls no AWS and no AWS credentials at all, when readiness is asked, then it is ready"
  )
  func readyWithoutAWS() async throws {
    let directory = try ChildProcess.temporaryDirectory("ready-no-aws")
    let path = directory + "/config.yaml"
    try """
    listen: 127.0.0.1:8080
    storage:
      path: \(directory)/switchboard.sqlite
    regions:
      - id: us-east-1
    services: []

    """.write(toFile: path, atomically: true, encoding: .utf8)
    let serve = try await ServeProcess(
      config: path, environment: try SwitchboardBinary.isolatedEnvironment([:]))
    defer { serve.kill() }

    let answer = try await Self.readiness(serve)
    let checks = Self.checks(answer)
    #expect(answer.status == 200, "\(answer.body)\n\(serve.output)")
    #expect(checks["aws"]?.ok == true)
    #expect(checks["aws"]?.detail == "Nothing in the configuration calls AWS.")
    #expect(checks["route53"] == nil && checks["cloudwatch"] == nil)
  }

  @Test(
    "Given services on the built-in DNS and no AWS credentials at all, when readiness is asked, then it is ready without a Route53 check"
  )
  func readyWithBuiltinDNS() async throws {
    let directory = try ChildProcess.temporaryDirectory("ready-builtin")
    let path = directory + "/config.yaml"
    try """
    listen: 127.0.0.1:8080
    storage:
      path: \(directory)/switchboard.sqlite
    dns:
      listen: 127.0.0.1:\(try freeLoopbackPort())
    regions:
      - id: us-east-1
      - id: us-west-2
    services:
      - id: api
        dns_name: api.example.com
        hosted_zone: example.com
        provider: builtin
        regions:
          - region: us-east-1
            target: 192.0.2.10
            signals: [{type: http, url: "http://127.0.0.1:9/health", interval: 1}]
          - region: us-west-2
            target: 192.0.2.20
            signals: [{type: http, url: "http://127.0.0.1:9/health", interval: 1}]

    """.write(toFile: path, atomically: true, encoding: .utf8)
    let serve = try await ServeProcess(
      config: path, environment: try SwitchboardBinary.isolatedEnvironment([:]))
    defer { serve.kill() }

    let answer = try await Self.readiness(serve)
    let checks = Self.checks(answer)
    #expect(answer.status == 200, "\(answer.body)\n\(serve.output)")
    #expect(checks["aws"]?.detail == "Nothing in the configuration calls AWS.")
    #expect(checks["route53"] == nil && checks["cloudwatch"] == nil)
  }

  @Test(
    "Given Route53 in moto and CloudWatch unreachable, when readiness is asked, then probes-only is ready and an alarm signal makes it not ready, naming CloudWatch"
  )
  func cloudWatchOnlyWhenAlarmsAreUsed() async throws {
    let moto = MotoServer()
    let users = try await moto.fresh()
    let motoURL = await moto.url
    let regions = try ServeCommandTests.Regions()
    defer { Task { await regions.stop() } }
    let environment = try SwitchboardBinary.isolatedEnvironment([
      "AWS_ACCESS_KEY_ID": users.switchboard.accessKeyID,
      "AWS_SECRET_ACCESS_KEY": users.switchboard.secretAccessKey,
      "AWS_ENDPOINT_URL_CLOUDWATCH": "http://127.0.0.1:9",
    ])

    var probesOnly = ServeConfig(
      primaryHealthURL: regions.healthURL(0), secondaryHealthURL: regions.healthURL(1),
      directory: try ChildProcess.temporaryDirectory("ready-probes"))
    probesOnly.awsEndpoint = motoURL.absoluteString
    let first = try await ServeProcess(config: try probesOnly.write(), environment: environment)
    let ready = try await Self.readiness(first)
    first.kill()
    #expect(ready.status == 200, "\(ready.body)\n\(first.output)")
    #expect(Self.checks(ready)["route53"]?.ok == true, "\(ready.body)")
    #expect(Self.checks(ready)["route53"]?.detail == "Route53 answers.")
    #expect(Self.checks(ready)["cloudwatch"] == nil, "no alarm signal: CloudWatch is not a dependency")

    var withAlarm = probesOnly
    withAlarm.directory = try ChildProcess.temporaryDirectory("ready-alarm")
    withAlarm.primaryRegionAlarm = "switchboard-ready-east"
    let second = try await ServeProcess(config: try withAlarm.write(), environment: environment)
    defer { second.kill() }
    let notReady = try await Self.readiness(second)
    let checks = Self.checks(notReady)
    #expect(notReady.status == 503, "\(notReady.body)")
    #expect(checks["route53"]?.ok == true, "\(notReady.body)")
    #expect(checks["cloudwatch"]?.ok == false, "\(notReady.body)")
    #expect(checks["cloudwatch"]?.detail.hasPrefix("CloudWatch does not answer") == true, "\(notReady.body)")
  }

  @Test(
    "Given services on Route53 and no AWS credentials, when readiness is asked, then it is not ready, naming Route53"
  )
  func route53WithoutCredentials() async throws {
    let regions = try ServeCommandTests.Regions()
    defer { Task { await regions.stop() } }
    let config = ServeConfig(
      primaryHealthURL: regions.healthURL(0), secondaryHealthURL: regions.healthURL(1),
      directory: try ChildProcess.temporaryDirectory("ready-no-credentials"))
    let serve = try await ServeProcess(
      config: try config.write(), environment: try SwitchboardBinary.isolatedEnvironment([:]))
    defer { serve.kill() }
    let answer = try await Self.readiness(serve)
    #expect(answer.status == 503, "\(answer.body)")
    #expect(Self.checks(answer)["route53"]?.ok == false, "\(answer.body)")
  }
}
