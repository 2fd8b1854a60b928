import FailoverCore
import Foundation
import Testing

/// Saving and reading overrides (`OverrideStore`).
enum OverrideConformance {
  static func freeze(_ id: String, at seconds: Double) -> Override {
    Override(
      id: id, scope: .region("us-east-1"), kind: .freeze, actor: "alice", reason: "DB migration",
      createdAt: StoreFixture.at(seconds), expiresAt: StoreFixture.at(seconds + 3600))
  }

  static let checks: [StoreConformanceCheck] = [
    StoreConformanceCheck(
      "Given two saved overrides, when the first is saved again cleared, then it is replaced in place and every "
        + "save appended its event"
    ) { backend in
      let store = try await backend.makeStore()
      let first = freeze("ovr-1", at: 0)
      let second = freeze("ovr-2", at: 10)
      try await store.save(
        first, event: StoreFixture.event(.overrideCreated, scope: .region("us-east-1"), at: 0))
      try await store.save(
        second, event: StoreFixture.event(.overrideCreated, scope: .region("us-east-1"), at: 10))

      var cleared = first
      cleared.clearedAt = StoreFixture.at(20)
      cleared.clearedBy = "bob"
      try await store.save(
        cleared, event: StoreFixture.event(.overrideCleared, scope: .region("us-east-1"), at: 20))

      #expect(try await store.overrides() == [cleared, second])
      #expect(try await store.override(id: "ovr-1") == cleared)
      #expect(try await store.override(id: "ovr-2") == second)
      #expect(try await store.override(id: "ovr-9") == nil)
      #expect(
        try await store.events(since: .distantPast, limit: 10).map(\.kind) == [
          .overrideCreated, .overrideCreated, .overrideCleared,
        ])
    }
  ]
}
