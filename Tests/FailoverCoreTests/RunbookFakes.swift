import FailoverCore
import Foundation

/// ECS as a dictionary of desired counts; running follows desired at once.
actor FakeCapacity: CapacityProvider {
  var desired: [RegionID: Int]
  var updates: [(RegionID, Int)] = []
  init(_ desired: [RegionID: Int]) { self.desired = desired }
  func counts(region: RegionID, cluster: String, service: String) async throws -> ServiceCapacity {
    guard let count = desired[region] else { throw FakeError(description: "no ECS service in \(region)") }
    return ServiceCapacity(desired: count, running: count)
  }
  func setDesiredCount(_ count: Int, region: RegionID, cluster: String, service: String) async throws {
    updates.append((region, count))
    desired[region] = count
  }
}

/// A replica that becomes a standalone, available primary when promoted.
actor FakeDatabases: DatabasePromoter {
  var replica = true
  var promotions = 0
  func state(region: RegionID, identifier: String, cluster: Bool) async throws -> DatabaseReplicaState {
    DatabaseReplicaState(status: "available", isReplica: replica)
  }
  func promote(region: RegionID, identifier: String, cluster: Bool) async throws {
    promotions += 1
    replica = false
  }
}

/// A hook receiver answering the scripted statuses in turn (the last repeats).
actor FakeHooks: HookCaller {
  var statuses: [Int]
  var requests: [HookRequest] = []
  init(_ statuses: [Int] = [200]) { self.statuses = statuses }
  func call(_ request: HookRequest) async throws -> HookResponse {
    requests.append(request)
    let status = statuses[min(requests.count, statuses.count) - 1]
    return HookResponse(status: status, body: "ok \(requests.count)", idempotencyKey: request.idempotencyKey)
  }
}

extension Harness {
  /// The plan for "primary unhealthy" of the harness's service with `runbook`.
  func runbookPlan(_ runbook: Runbook, id: String = "wf-1", drill: Bool = false) -> WorkflowPlan {
    var service = self.service
    service.runbook = runbook
    let decision = Decider.decide(
      DecisionInput(
        service: service, routing: .single(F.api, F.east),
        health: [
          F.east: F.health(.unhealthy, since: clock.now.addingTimeInterval(-3)), F.west: F.health(.healthy),
        ],
        now: clock.now))
    return WorkflowPlan(
      id: id, decision: decision, service: service,
      runbookOptions: drill ? RunbookRunOptions(drill: true) : nil)!
  }

  /// The runner with runbook ports.
  func runbookRunner(
    capacity: FakeCapacity? = nil, databases: FakeDatabases? = nil, hooks: FakeHooks? = nil
  ) -> WorkflowRunner {
    var runner = self.runner
    runner.ports.capacity = capacity
    runner.ports.databases = databases
    runner.ports.hooks = hooks
    return runner
  }
}
