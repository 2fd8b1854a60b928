import FailoverCore
import Foundation
import Testing

/// Routing state and transitions (`RoutingHistory`).
enum RoutingHistoryConformance {
  static let checks: [StoreConformanceCheck] = [
    StoreConformanceCheck(
      "Given a bootstrap routing state, when a workflow succeeds, then the workflow's state replaces it and only "
        + "the workflow recorded a transition"
    ) { backend in
      let store = try await backend.makeStore()
      let bootstrap = RoutingState.single("api.example.com", "us-east-1")

      try await store.recordRoutingState(
        bootstrap, at: StoreFixture.at(0), events: [StoreFixture.event(at: 0)])
      #expect(try await store.routingState(service: "api.example.com") == bootstrap)
      #expect(try await store.transitions(since: .distantPast).isEmpty)
      #expect(try await store.lastEventSeq() == 1)

      let plan = StoreFixture.plan("wf-1", at: 100)
      try await store.begin(plan, events: [])
      try await store.finish(
        "wf-1", outcome: .succeeded,
        timings: WorkflowTimings(decidedAt: StoreFixture.at(100), finishedAt: StoreFixture.at(130)),
        events: [])

      #expect(try await store.routingState(service: "api.example.com") == plan.plan.to)
      #expect(try await store.routingStates() == [plan.plan.to])
      #expect(try await store.routingState(service: "other.example.com") == nil)
      #expect(try await store.transitions(since: .distantPast).count == 1)
    },
    StoreConformanceCheck(
      "Given transitions of two services, when listed, then since an instant they come oldest first across "
        + "services, and per service newest first up to the limit"
    ) { backend in
      let store = try await backend.makeStore()
      let services: [ServiceID] = ["api.example.com", "web.example.com", "api.example.com"]
      for (n, service) in services.enumerated() {
        let start = Double(n * 1000)
        try await store.begin(StoreFixture.plan("wf-\(n)", service: service, at: start), events: [])
        try await store.finish(
          "wf-\(n)", outcome: .succeeded,
          timings: WorkflowTimings(
            decidedAt: StoreFixture.at(start), finishedAt: StoreFixture.at(start + 60)),
          events: [])
      }

      let recent = try await store.transitions(since: StoreFixture.at(1060))
      let api = try await store.transitions(service: "api.example.com", limit: 50)
      let newestAPI = try await store.transitions(service: "api.example.com", limit: 1)

      #expect(recent.map(\.service) == ["web.example.com", "api.example.com"])
      #expect(recent.map(\.at) == [StoreFixture.at(1060), StoreFixture.at(2060)])
      #expect(api.map(\.at) == [StoreFixture.at(2060), StoreFixture.at(60)])
      #expect(newestAPI.map(\.at) == [StoreFixture.at(2060)])
    },
  ]
}
