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
}
