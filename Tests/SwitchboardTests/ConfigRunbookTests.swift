import Configuration
import FailoverCore
import Foundation
import Testing

@Suite("Configuration: runbooks")
struct ConfigRunbookTests {
  static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
      "examples/two-region.yaml")

  /// The two-region example with `runbook` appended to its service.
  static func yaml(_ runbook: String) throws -> String {
    try String(contentsOf: example, encoding: .utf8) + "    runbook:\n" + runbook
  }

  @Test(
    "Given a runbook of every kind, when loaded, then each step keeps its settings and the kinds' defaults")
  func decodesEveryKind() throws {
    let config = try SwitchboardConfig.parse(
      yaml: try Self.yaml(
        """
              before_traffic:
                - {name: scale-secondary, kind: ecs_scale, cluster: api, service: api-web, timeout: 5m}
                - {name: promote, kind: database_promote, db_cluster: api-west}
                - {name: dba-ok, kind: approval, message: "Replica caught up?", on_timeout: approve, manual_only: true}
                - name: warm
                  kind: http_hook
                  url: https://hooks.example.com/warm
                  secret_env: HOOK_KEY
                  retries: {max_attempts: 5, base_delay: 2s, max_delay: 1m}
                  on_failure: continue
                  in_drills: skip
              after_traffic:
                - {name: settle, kind: wait, duration: 30s}
              after_failback:
                - {name: scale-back, kind: ecs_scale, cluster: api, service: api-web}

        """))
    let runbook = try #require(config.services[0].runbook)
    #expect(runbook.beforeTraffic.map(\.name) == ["scale-secondary", "promote", "dba-ok", "warm"])
    #expect(runbook.beforeTraffic[0].action == .ecsScale(ECSScaleSpec(cluster: "api", service: "api-web")))
    #expect(runbook.beforeTraffic[0].timeout == 300)
    #expect(runbook.beforeTraffic[1].inDrills == .skip, "database_promote stays out of drills by default")
    #expect(
      runbook.beforeTraffic[1].action
        == .databasePromote(DatabasePromoteSpec(identifier: "api-west", isCluster: true)))
    #expect(runbook.beforeTraffic[2].manualOnly)
    #expect(runbook.beforeTraffic[2].timeout == 3600)
    let hook = runbook.beforeTraffic[3]
    #expect(
      hook.action
        == .httpHook(HTTPHookSpec(url: "https://hooks.example.com/warm", secretEnvironment: "HOOK_KEY")))
    #expect(hook.retry == RetryPolicy(maxAttempts: 5, baseDelay: 2, maxDelay: 60))
    #expect(hook.onFailure == .continue && hook.inDrills == .skip && hook.timeout == 30)
    #expect(runbook.afterTraffic.first?.action == .wait(seconds: 30))
    #expect(runbook.afterFailback.map(\.name) == ["scale-back"])
  }

  @Test("Given runbook mistakes, when validated, then each is a problem at its line and column")
  func problemsAtTheirPlace() throws {
    let yaml = try Self.yaml(
      """
            before_traffic:
              - {name: hook, kind: http_hook, url: "ftp://x"}
              - {name: wait, kind: wait, duration: 1s}
              - {name: wait, kind: ecs_scale, cluster: api, service: web, timeout: 3d}
              - {name: db, kind: database_promote}
              - {name: odd, kind: ecs_scal}
              - {name: ask, kind: approval, message: ok, url: "http://x"}
            after_failback:
              - {name: back, kind: ecs_scale, cluster: api, service: web, desired_count: 3}

      """)
    let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
    let base = try #require(lines.firstIndex { $0 == "    runbook:" }) + 2
    let problems = ConfigValidator.validate(yaml: yaml)
    let text = problems.map(\.description).joined(separator: "\n")
    #expect(problems.count == 7, "\(text)")
    func at(_ offset: Int, _ fragment: String) -> Bool {
      problems.contains { $0.line == base + offset && $0.message.contains(fragment) }
    }
    #expect(at(1, "must be an http or https URL"), "\(text)")
    #expect(at(3, "\"wait\" is used twice"), "\(text)")
    #expect(at(3, "between 1s and"), "\(text)")
    #expect(at(4, "needs exactly one of `db_instance`"), "\(text)")
    #expect(at(5, "did you mean ecs_scale?"), "\(text)")
    #expect(at(6, "does not apply to approval steps"), "\(text)")
    #expect(at(8, "does not apply after a failback"), "\(text)")
    #expect(problems.allSatisfy { $0.column > 1 }, "\(text)")
  }

  @Test("Given a database promotion without an approval step, then validation asks for one at before_traffic")
  func promotionNeedsApproval() throws {
    let yaml = try Self.yaml(
      """
            before_traffic:
              - {name: promote, kind: database_promote, db_instance: api-west}

      """)
    let problems = ConfigValidator.validate(yaml: yaml)
    let line =
      try #require(
        yaml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == "    runbook:" }) + 2
    #expect(problems.count == 1, "\(problems)")
    #expect(
      problems.first?.line == line && problems.first?.message.contains("no approval step") == true,
      "\(problems)")
  }
}
