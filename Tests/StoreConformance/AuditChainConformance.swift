import FailoverCore
import Foundation
import Testing

/// Verification of the audit log's hash chain (`AuditChain`).
enum AuditChainConformance {
  static let checks: [StoreConformanceCheck] = [
    StoreConformanceCheck(
      "Given an empty log, when it is verified, then it is intact with no events"
    ) { backend in
      let store = try await backend.makeStore()

      let verdict = try await store.verifyChain()

      guard case .intact(let count, _) = verdict else {
        Issue.record("expected an intact chain, got \(verdict)")
        return
      }
      #expect(count == 0)
    },
    StoreConformanceCheck(
      "Given an untouched log of 10 events, when it is verified, then it is intact with its count and head hash"
    ) { backend in
      let store = try await backend.makeStore()
      try await store.append((1...10).map { StoreFixture.event(at: Double($0), "Event \($0).") })

      let last = try await store.events(after: 9, limit: 1)

      #expect(try await store.verifyChain() == .intact(count: 10, head: last[0].hash))
    },
    StoreConformanceCheck(
      "Given a log of 10 events, when event 6 is changed behind the store's back, then verification reports the "
        + "break at event 6"
    ) { backend in
      let store = try await backend.makeStore()
      try await store.append((1...10).map { StoreFixture.event(at: Double($0), "Event \($0).") })

      try await backend.tamperWithEvent(store, 6)

      let verdict = try await store.verifyChain()
      guard case .broken(let link) = verdict else {
        Issue.record("expected a broken chain, got \(verdict)")
        return
      }
      #expect(link.seq == 6)
      #expect(!verdict.isIntact)
      #expect(verdict.description.contains("event 6"))
    },
  ]
}
