import Foundation
import Store
import Testing

@Suite("Idempotency records for the REST API")
struct IdempotencyTests {
  static func record(_ key: String, actor: String = "alice", status: Int = 201, at seconds: Double = 0)
    -> IdempotencyRecord
  {
    IdempotencyRecord(
      key: key, actor: actor, method: "POST", path: "/api/v1/overrides", requestHash: "sha256:abc",
      status: status, headers: ["Content-Type": "application/json", "Location": "/api/v1/overrides/ovr-1"],
      body: Data("{\"id\":\"ovr-1\"}".utf8), createdAt: Fixture.at(seconds))
  }

  @Test("A saved response is found again by key and actor, byte for byte")
  func saveAndLookup() async throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: folder.path())
    let record = Self.record("k1")

    #expect(try await store.saveIdempotent(record) == nil)

    #expect(try await store.lookupIdempotent(key: "k1", actor: "alice", now: Fixture.at(60)) == record)
    #expect(try await store.lookupIdempotent(key: "k1", actor: "bob", now: Fixture.at(60)) == nil)
    #expect(try await store.lookupIdempotent(key: "k2", actor: "alice", now: Fixture.at(60)) == nil)
  }

  @Test("Saving a key that is already held returns the first response and keeps it")
  func firstResponseWins() async throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: folder.path())
    let first = Self.record("k1", status: 201)

    try await store.saveIdempotent(first)
    let existing = try await store.saveIdempotent(Self.record("k1", status: 409, at: 5))

    #expect(existing == first)
    #expect(try await store.lookupIdempotent(key: "k1", actor: "alice", now: Fixture.at(10))?.status == 201)
    #expect(try await store.saveIdempotent(Self.record("k1", actor: "bob", status: 202)) == nil)
  }

  @Test("After 24 hours a record is no longer honoured, can be replaced, and is pruned")
  func expiry() async throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: folder.path())
    let day = IdempotencyRecord.lifetime
    try await store.saveIdempotent(Self.record("old", at: 0))
    try await store.saveIdempotent(Self.record("new", at: day - 60))

    #expect(try await store.lookupIdempotent(key: "old", actor: "alice", now: Fixture.at(day - 1)) != nil)
    #expect(try await store.lookupIdempotent(key: "old", actor: "alice", now: Fixture.at(day)) == nil)

    #expect(try await store.pruneIdempotency(now: Fixture.at(day + 1)) == 1)
    #expect(try await store.lookupIdempotent(key: "new", actor: "alice", now: Fixture.at(day + 1)) != nil)

    let reused = Self.record("new", status: 200, at: 2 * day)
    #expect(try await store.saveIdempotent(reused) == nil)
    #expect(try await store.lookupIdempotent(key: "new", actor: "alice", now: Fixture.at(2 * day)) == reused)
  }
}
