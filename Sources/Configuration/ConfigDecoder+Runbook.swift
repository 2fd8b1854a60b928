import FailoverCore
import Foundation
import Yams

// A service's `runbook`: its steps per stage, each checked where it is written.
extension ConfigDecoder {
  static let runbookStepKeys = [
    "name", "kind", "timeout", "retries", "on_failure", "in_drills", "manual_only", "cluster", "service",
    "desired_count", "url", "secret_env", "message", "on_timeout", "db_instance", "db_cluster", "duration",
  ]

  func decodeRunbook(_ service: MappingReader) -> Runbook? {
    guard let runbook = service.mappingReader("runbook") else { return nil }
    runbook.allowKeys(RunbookStage.allCases.map(\.rawValue))
    var result = Runbook()
    for stage in RunbookStage.allCases {
      var names: Set<String> = []
      for (index, node) in (runbook.sequence(stage.rawValue) ?? []).enumerated() {
        let path = "\(runbook.path(stage.rawValue))[\(index)]"
        guard let step = decodeRunbookStep(node, path: path, stage: stage) else { continue }
        if !names.insert(step.name).inserted {
          problems.add(
            node.mark, "`\(path).name` \"\(step.name)\" is used twice in `\(runbook.path(stage.rawValue))`.")
          continue
        }
        switch stage {
        case .beforeTraffic: result.beforeTraffic.append(step)
        case .afterTraffic: result.afterTraffic.append(step)
        case .afterFailback: result.afterFailback.append(step)
        }
      }
    }
    let promotes = result.beforeTraffic.contains { $0.action.isOneWay }
    let approves = result.beforeTraffic.contains { if case .approval = $0.action { true } else { false } }
    if promotes && !approves {
      let mark = runbook.mark(RunbookStage.beforeTraffic.rawValue)
      problems.add(
        mark,
        "`\(runbook.path(RunbookStage.beforeTraffic.rawValue))` promotes a database (one-way) but has no approval "
          + "step: a failback to a region whose database was promoted away needs a person's approval; add a step "
          + "with `kind: approval`.")
    }
    return result.isEmpty ? nil : result
  }

  func decodeRunbookStep(_ node: Node, path: String, stage: RunbookStage) -> RunbookStep? {
    guard let step = MappingReader(node, path: path, problems: problems) else { return nil }
    step.allowKeys(Self.runbookStepKeys)
    let name = step.string("name", required: "a name for the step (letters, digits, - and _)")
    if let name, !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) || name.count > 64
    {
      problems.add(
        step.value("name")?.mark,
        "`\(step.path("name"))` must be letters, digits, - and _ (at most 64), not \"\(name)\".")
    }
    guard let kind = step.string("kind", required: "one of \(RunbookAction.kinds.joined(separator: ", "))")
    else {
      return nil
    }
    let allowed: [String: [String]] = [
      "ecs_scale": ["cluster", "service", "desired_count"], "http_hook": ["url", "secret_env"],
      "approval": ["message", "on_timeout", "manual_only"],
      "database_promote": ["db_instance", "db_cluster"],
      "wait": ["duration"],
    ]
    guard let own = allowed[kind] else {
      let suggestion = MappingReader.closest(to: kind, in: RunbookAction.kinds)
      problems.add(
        step.value("kind")?.mark,
        "`\(step.path("kind"))` must be one of \(RunbookAction.kinds.joined(separator: ", ")), not \"\(kind)\""
          + (suggestion.map { "; did you mean \($0)?" } ?? "."))
      return nil
    }
    let general = ["name", "kind", "timeout", "retries", "on_failure", "in_drills"]
    for key in Self.runbookStepKeys
    where !general.contains(key) && !own.contains(key) && step.value(key) != nil {
      problems.add(step.mark(key), "`\(step.path(key))` does not apply to \(kind) steps.")
    }
    guard let action = decodeRunbookAction(kind, step, stage: stage), let name else { return nil }
    let timeout = step.duration("timeout", in: 1...86_400)
    var retry = RetryPolicy(maxAttempts: 3, baseDelay: 1, maxDelay: 30)
    if let retries = step.mappingReader("retries") {
      retries.allowKeys(["max_attempts", "base_delay", "max_delay"])
      if let value = retries.int("max_attempts", in: 1...20) { retry.maxAttempts = value }
      if let value = retries.duration("base_delay", in: 0...3600) { retry.baseDelay = value }
      if let value = retries.duration("max_delay", in: 0...3600) { retry.maxDelay = value }
    }
    var onFailure = RunbookFailureAction.abort
    if let text = step.string("on_failure") {
      if let parsed = RunbookFailureAction(rawValue: text) {
        onFailure = parsed
      } else {
        problems.add(
          step.value("on_failure")?.mark,
          "`\(step.path("on_failure"))` must be abort or continue, not \"\(text)\".")
      }
    }
    var inDrills: DrillParticipation?
    if let text = step.string("in_drills") {
      inDrills = DrillParticipation(rawValue: text)
      if inDrills == nil {
        problems.add(
          step.value("in_drills")?.mark, "`\(step.path("in_drills"))` must be run or skip, not \"\(text)\".")
      }
    }
    return RunbookStep(
      name: name, action: action, timeout: timeout, retry: retry, onFailure: onFailure, inDrills: inDrills,
      manualOnly: step.bool("manual_only") ?? false)
  }

  func decodeRunbookAction(_ kind: String, _ step: MappingReader, stage: RunbookStage) -> RunbookAction? {
    switch kind {
    case "ecs_scale":
      let cluster = step.string("cluster", required: "the ECS cluster's name")
      let service = step.string("service", required: "the ECS service's name")
      let count = step.int("desired_count", in: 0...5000)
      if stage == .afterFailback, count != nil {
        problems.add(
          step.mark("desired_count"),
          "`\(step.path("desired_count"))` does not apply after a failback: ecs_scale restores the count "
            + "recorded before the failover.")
      }
      guard let cluster, let service else { return nil }
      return .ecsScale(ECSScaleSpec(cluster: cluster, service: service, desiredCount: count))
    case "http_hook":
      guard let url = step.string("url", required: "the http:// or https:// URL to POST to") else {
        return nil
      }
      if Self.httpURL(url) == nil {
        problems.add(
          step.value("url")?.mark, "`\(step.path("url"))` must be an http or https URL with a host.")
        return nil
      }
      return .httpHook(HTTPHookSpec(url: url, secretEnvironment: step.string("secret_env")))
    case "approval":
      let message = step.string("message", required: "the question shown to operators")
      var onTimeout = ApprovalVerdict.Decision.reject
      if let text = step.string("on_timeout") {
        if let parsed = ApprovalVerdict.Decision(rawValue: text) {
          onTimeout = parsed
        } else {
          problems.add(
            step.value("on_timeout")?.mark,
            "`\(step.path("on_timeout"))` must be approve or reject, not \"\(text)\".")
        }
      }
      return message.map { .approval(ApprovalSpec(message: $0, onTimeout: onTimeout)) }
    case "database_promote":
      let instance = step.string("db_instance")
      let cluster = step.string("db_cluster")
      if (instance == nil) == (cluster == nil) {
        problems.add(
          step.node.mark,
          "\(MappingReader.describe(step.path)) needs exactly one of `db_instance` (a read replica) or `db_cluster` "
            + "(a replica cluster), the identifier in the region traffic moves to.")
        return nil
      }
      if stage == .afterFailback {
        problems.add(
          step.mark("kind"),
          "`\(step.path("kind"))` database_promote cannot run after a failback: it is one-way; promote in "
            + "before_traffic and guard the return with an approval step.")
      }
      return .databasePromote(
        DatabasePromoteSpec(identifier: instance ?? cluster ?? "", isCluster: cluster != nil))
    case "wait":
      guard let seconds = step.duration("duration", in: 0.001...86_400) else {
        if step.value("duration") == nil { step.missing("duration", "how long to pause, e.g. 30s") }
        return nil
      }
      return .wait(seconds: seconds)
    default:
      return nil
    }
  }
}
