import FailoverCore
import Foundation
import Testing

/// Pages of workflows and single workflows (`WorkflowQueries`).
enum WorkflowQueryConformance {
  static let checks: [StoreConformanceCheck] = [
    StoreConformanceCheck(
      "Given workflows of two services, when a service's are paged, then pages run newest first along their "
        + "cursors and end with no cursor"
    ) { backend in
      let store = try await backend.makeStore()
      for n in 1...7 {
        try await store.begin(StoreFixture.plan("api-\(n)", at: Double(n * 100)), events: [])
        try await store.begin(
          StoreFixture.plan("web-\(n)", service: "web.example.com", at: Double(n * 100)), events: [])
      }

      let page1 = try await store.workflows(service: "api.example.com", before: nil, limit: 3)
      let page2 = try await store.workflows(service: "api.example.com", before: page1.nextCursor, limit: 3)
      let page3 = try await store.workflows(service: "api.example.com", before: page2.nextCursor, limit: 3)

      #expect(page1.workflows.map(\.id) == ["api-7", "api-6", "api-5"])
      #expect(page2.workflows.map(\.id) == ["api-4", "api-3", "api-2"])
      #expect(page3.workflows.map(\.id) == ["api-1"])
      #expect(page3.nextCursor == nil)
      #expect(try await store.workflows(service: nil, before: nil, limit: 100).workflows.count == 14)
      #expect(try await store.workflows(service: nil, before: nil, limit: 0).workflows.map(\.id) == ["web-7"])
      #expect(page1.workflows[0].createdAt == StoreFixture.at(700))
      #expect(page1.workflows[0].state == .running)
      #expect(try await store.workflow(id: "nope") == nil)
    },
    StoreConformanceCheck(
      "Given a workflow with steps, when it is read by id, then it comes with its steps in append order"
    ) { backend in
      let store = try await backend.makeStore()
      let plan = StoreFixture.plan("wf-1")
      let steps = [
        StoreFixture.entry("wf-1", index: 0, .checkTargetHealth, .started, at: 1),
        StoreFixture.entry("wf-1", index: 0, .checkTargetHealth, .finished, at: 2),
        StoreFixture.entry("wf-1", index: 1, .changeDNS, .started, at: 3),
      ]
      try await store.begin(plan, events: [])
      for step in steps { try await store.append(step, events: []) }

      let detail = try #require(try await store.workflow(id: "wf-1"))

      #expect(detail.record.plan == plan)
      #expect(detail.record.id == "wf-1")
      #expect(detail.entries == steps)
      #expect(try await store.entries(workflowID: "wf-1") == steps)
      #expect(try await store.entries(workflowID: "nope").isEmpty)
    },
  ]
}
