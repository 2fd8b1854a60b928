import FailoverCore
import Foundation
import Store
import Testing

@Suite("Overrides, routing state and transitions")
struct OverrideAndRoutingTests {
  static func freeze(_ id: String, at seconds: Double) -> Override {
    Override(
      id: id, scope: .region("us-east-1"), kind: .freeze, actor: "alice", reason: "DB migration",
      createdAt: Fixture.at(seconds), expiresAt: Fixture.at(seconds + 3600))
  }

  @Test("Saving an override stores it with its event; saving it again replaces it in place")
  func saveAndReplace() async throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: folder.path())
    let first = Self.freeze("ovr-1", at: 0)
    let second = Self.freeze("ovr-2", at: 10)
    try await store.save(first, event: Fixture.event(.overrideCreated, scope: .region("us-east-1"), at: 0))
    try await store.save(second, event: Fixture.event(.overrideCreated, scope: .region("us-east-1"), at: 10))

    var cleared = first
    cleared.clearedAt = Fixture.at(20)
    cleared.clearedBy = "bob"
    try await store.save(cleared, event: Fixture.event(.overrideCleared, scope: .region("us-east-1"), at: 20))

    #expect(try await store.overrides() == [cleared, second])
    #expect(try await store.override(id: "ovr-1") == cleared)
    #expect(try await store.override(id: "ovr-9") == nil)
    #expect(
      try await store.events(since: .distantPast, limit: 10).map(\.kind) == [
        .overrideCreated, .overrideCreated, .overrideCleared,
      ])
  }

  @Test("Overrides survive a restart")
  func overridesPersist() async throws {
    let folder = try TemporaryFolder()
    let override = Self.freeze("ovr-1", at: 0)
    do {
      let store = try SQLiteStore(path: folder.path())
      try await store.save(override, event: Fixture.event(.overrideCreated, at: 0))
    }

    #expect(try await SQLiteStore(path: folder.path()).overrides() == [override])
  }

  @Test("A bootstrap routing state is recorded without a transition, then replaced by a workflow's")
  func bootstrapThenWorkflow() async throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: folder.path())
    let bootstrap = RoutingState.single("api.example.com", "us-east-1")

    try await store.recordRoutingState(bootstrap, at: Fixture.at(0), events: [Fixture.event(at: 0)])
    #expect(try await store.routingState(service: "api.example.com") == bootstrap)
    #expect(try await store.transitions(since: .distantPast).isEmpty)

    let plan = Fixture.plan("wf-1", at: 100)
    try await store.begin(plan, events: [])
    try await store.finish(
      "wf-1", outcome: .succeeded,
      timings: WorkflowTimings(decidedAt: Fixture.at(100), finishedAt: Fixture.at(130)), events: [])

    #expect(try await store.routingState(service: "api.example.com") == plan.plan.to)
    #expect(try await store.routingStates() == [plan.plan.to])
    #expect(try await store.routingState(service: "other.example.com") == nil)
  }

  @Test("Transitions are listed since an instant across services, and per service newest first")
  func transitionHistory() async throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: folder.path())
    let services: [ServiceID] = ["api.example.com", "web.example.com", "api.example.com"]
    for (n, service) in services.enumerated() {
      let start = Double(n * 1000)
      try await store.begin(Fixture.plan("wf-\(n)", service: service, at: start), events: [])
      try await store.finish(
        "wf-\(n)", outcome: .succeeded,
        timings: WorkflowTimings(decidedAt: Fixture.at(start), finishedAt: Fixture.at(start + 60)), events: []
      )
    }

    let recent = try await store.transitions(since: Fixture.at(1060))
    let api = try await store.transitions(service: "api.example.com")

    #expect(recent.map(\.service) == ["web.example.com", "api.example.com"])
    #expect(recent.map(\.at) == [Fixture.at(1060), Fixture.at(2060)])
    #expect(api.map(\.at) == [Fixture.at(2060), Fixture.at(60)])
  }
}
