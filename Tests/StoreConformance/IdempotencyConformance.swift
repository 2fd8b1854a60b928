import FailoverCore
import Foundation
import Testing

/// Remembered REST responses and their expiry (`IdempotencyStore`).
enum IdempotencyConformance {
  static func record(_ key: String, actor: String = "alice", status: Int = 201, at seconds: Double = 0)
    -> IdempotencyRecord
  {
    IdempotencyRecord(
      key: key, actor: actor, method: "POST", path: "/api/v1/overrides", requestHash: "sha256:abc",
      status: status, headers: ["Content-Type": "application/json", "Location": "/api/v1/overrides/ovr-1"],
      body: Data("{\"id\":\"ovr-1\"}".utf8), createdAt: StoreFixture.at(seconds))
  }

  static let checks: [StoreConformanceCheck] = [
    StoreConformanceCheck(
      "Given a saved response, when its key is looked up, then the same actor finds it byte for byte and others "
        + "do not"
    ) { backend in
      let store = try await backend.makeStore()
      let record = record("k1")

      #expect(try await store.saveIdempotent(record) == nil)

      #expect(try await store.lookupIdempotent(key: "k1", actor: "alice", now: StoreFixture.at(60)) == record)
      #expect(try await store.lookupIdempotent(key: "k1", actor: "bob", now: StoreFixture.at(60)) == nil)
      #expect(try await store.lookupIdempotent(key: "k2", actor: "alice", now: StoreFixture.at(60)) == nil)
    },
    StoreConformanceCheck(
      "Given a held key, when another response is saved under it, then the first response is returned and kept"
    ) { backend in
      let store = try await backend.makeStore()
      let first = record("k1", status: 201)

      try await store.saveIdempotent(first)
      let existing = try await store.saveIdempotent(record("k1", status: 409, at: 5))

      #expect(existing == first)
      #expect(
        try await store.lookupIdempotent(key: "k1", actor: "alice", now: StoreFixture.at(10))?.status == 201)
      #expect(try await store.saveIdempotent(record("k1", actor: "bob", status: 202)) == nil)
    },
    StoreConformanceCheck(
      "Given records of different ages, when 24 hours pass, then an expired record is not honoured, is pruned, "
        + "and its key can be saved again"
    ) { backend in
      let store = try await backend.makeStore()
      let day = IdempotencyRecord.lifetime
      try await store.saveIdempotent(record("old", at: 0))
      try await store.saveIdempotent(record("new", at: day - 60))

      #expect(
        try await store.lookupIdempotent(key: "old", actor: "alice", now: StoreFixture.at(day - 1)) != nil)
      #expect(try await store.lookupIdempotent(key: "old", actor: "alice", now: StoreFixture.at(day)) == nil)

      #expect(try await store.pruneIdempotency(now: StoreFixture.at(day + 1)) == 1)
      #expect(
        try await store.lookupIdempotent(key: "new", actor: "alice", now: StoreFixture.at(day + 1)) != nil)

      let reused = record("new", status: 200, at: 2 * day)
      #expect(try await store.saveIdempotent(reused) == nil)
      #expect(
        try await store.lookupIdempotent(key: "new", actor: "alice", now: StoreFixture.at(2 * day)) == reused)
    },
  ]
}
