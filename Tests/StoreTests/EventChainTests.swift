import FailoverCore
import Foundation
import Store
import Testing

@Suite("The hash-chained audit log")
struct EventChainTests {
  /// A store holding `count` events, one second apart.
  static func store(_ folder: TemporaryFolder, events count: Int) async throws -> SQLiteStore {
    let store = try SQLiteStore(path: folder.path())
    try await store.append((1...count).map { Fixture.event(at: Double($0), "Event \($0).") })
    return store
  }

  @Test("The hash is hex(SHA-256(previous + newline + canonical JSON)), from 64 zeros")
  func hashFormula() async throws {
    // Computed independently: python3 -c "import hashlib; print(hashlib.sha256(('0'*64+'\n{}').encode()).hexdigest())"
    #expect(
      EventChain.hash(previous: EventChain.genesis, canonicalJSON: "{}")
        == "5649d09ed68c17156095d175eef152856c5b1a81c117c409c1e00f096aa6838e")

    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: folder.path())
    let event = Fixture.event(at: 1)
    let stored = try await store.appendReturningStored([event, Fixture.event(at: 2)])

    let json = String(decoding: event.canonicalJSON(), as: UTF8.self)
    #expect(stored.map(\.seq) == [1, 2])
    #expect(stored[0].hash == EventChain.hash(previous: EventChain.genesis, canonicalJSON: json))
    #expect(stored[0].event == event)
  }

  @Test("Changing one event's JSON breaks the chain exactly there")
  func tamperedJSON() async throws {
    let folder = try TemporaryFolder()
    let store = try await Self.store(folder, events: 10)

    try rawSQL(folder.path(), "UPDATE events SET json = replace(json, 'Event 6.', 'Nothing.') WHERE seq = 6")

    let result = try await store.verifyChain()
    guard case .broken(let link) = result else {
      Issue.record("expected a broken chain, got \(result)")
      return
    }
    #expect(link.seq == 6)
    #expect(link.description.contains("its content does not match its hash"))
  }

  @Test("Rewriting an event with a fresh hash still breaks the link to the next one")
  func rehashedEvent() async throws {
    let folder = try TemporaryFolder()
    let store = try await Self.store(folder, events: 10)
    let prev = try await store.events(after: 3, limit: 1)[0].hash
    let forged = String(decoding: Fixture.event(at: 5, "Forged.").canonicalJSON(), as: UTF8.self)
    let hash = EventChain.hash(previous: prev, canonicalJSON: forged)
    let quoted = forged.replacingOccurrences(of: "'", with: "''")

    try rawSQL(folder.path(), "UPDATE events SET json = '\(quoted)', hash = '\(hash)' WHERE seq = 5")

    guard case .broken(let link) = try await store.verifyChain() else {
      Issue.record("expected a broken chain")
      return
    }
    #expect(link.seq == 6)
    #expect(link.found != link.expected)
  }

  @Test("Deleting an event breaks the chain at the event after it")
  func deletedRow() async throws {
    let folder = try TemporaryFolder()
    let store = try await Self.store(folder, events: 10)

    try rawSQL(folder.path(), "DELETE FROM events WHERE seq = 4")

    guard case .broken(let link) = try await store.verifyChain() else {
      Issue.record("expected a broken chain")
      return
    }
    #expect(link.seq == 5)
    #expect(link.description.contains("jumps from 3 to 5"))
  }

  @Test("Swapping two events' places breaks the chain at the first of them")
  func reordered() async throws {
    let folder = try TemporaryFolder()
    let store = try await Self.store(folder, events: 10)

    try rawSQL(
      folder.path(),
      """
      UPDATE events SET seq = -1 WHERE seq = 3;
      UPDATE events SET seq = 3 WHERE seq = 4;
      UPDATE events SET seq = 4 WHERE seq = -1;
      """)

    guard case .broken(let link) = try await store.verifyChain() else {
      Issue.record("expected a broken chain")
      return
    }
    #expect(link.seq == 3)
    #expect(link.description.contains("prev_hash is not the hash of the event before it"))
  }

  @Test("Removing the newest events is caught against the recorded head")
  func truncatedTail() async throws {
    let folder = try TemporaryFolder()
    let store = try await Self.store(folder, events: 10)

    try rawSQL(folder.path(), "DELETE FROM events WHERE seq >= 9")

    guard case .broken(let link) = try await store.verifyChain() else {
      Issue.record("expected a broken chain")
      return
    }
    #expect(link.seq == 9)
    #expect(link.description.contains("removed from its end"))
  }

  @Test("Events appended after a truncation keep the gap visible")
  func appendAfterTruncation() async throws {
    let folder = try TemporaryFolder()
    let store = try await Self.store(folder, events: 10)
    try rawSQL(folder.path(), "DELETE FROM events WHERE seq >= 9")

    let appended = try await store.appendReturningStored([Fixture.event(at: 11)])

    #expect(appended.map(\.seq) == [11])
    guard case .broken(let link) = try await store.verifyChain() else {
      Issue.record("expected a broken chain")
      return
    }
    #expect(link.seq == 11)
    #expect(link.description.contains("jumps from 8 to 11"))
  }

  @Test("Rewriting and rehashing the newest event is caught against the recorded head")
  func rewrittenLastEvent() async throws {
    let folder = try TemporaryFolder()
    let store = try await Self.store(folder, events: 10)
    let prev = try await store.events(after: 8, limit: 1)[0].hash
    let forged = String(decoding: Fixture.event(at: 10, "Forged.").canonicalJSON(), as: UTF8.self)
    let hash = EventChain.hash(previous: prev, canonicalJSON: forged)
    let quoted = forged.replacingOccurrences(of: "'", with: "''")

    try rawSQL(folder.path(), "UPDATE events SET json = '\(quoted)', hash = '\(hash)' WHERE seq = 10")

    guard case .broken(let link) = try await store.verifyChain() else {
      Issue.record("expected a broken chain")
      return
    }
    #expect(link.seq == 10)
    #expect(link.found == hash)
    #expect(link.description.contains("rewritten after it was appended"))
  }

  @Test("An indexed column edited away from the hashed content is reported")
  func tamperedColumn() async throws {
    let folder = try TemporaryFolder()
    let store = try await Self.store(folder, events: 10)

    try rawSQL(folder.path(), "UPDATE events SET actor = 'mallory' WHERE seq = 7")

    guard case .broken(let link) = try await store.verifyChain() else {
      Issue.record("expected a broken chain")
      return
    }
    #expect(link.seq == 7)
    #expect(link.found == "mallory")
    #expect(link.expected == Event.automaticActor)
  }

  @Test("Two store instances on one file (as two processes would) append into one valid chain")
  func twoConnections() async throws {
    let folder = try TemporaryFolder()
    let stores = [try SQLiteStore(path: folder.path()), try SQLiteStore(path: folder.path())]

    try await withThrowingTaskGroup(of: Void.self) { group in
      for (index, store) in stores.enumerated() {
        group.addTask {
          for n in 0..<50 { try await store.append([Fixture.event(at: Double(n), "Store \(index) #\(n).")]) }
        }
      }
      try await group.waitForAll()
    }

    #expect(try await stores[0].verifyChain() == stores[1].verifyChain())
    #expect(try await stores[1].verifyChain().isIntact)
    #expect(try await stores[0].lastEventSeq() == 100)
  }

  @Test("Many tasks appending at once leave one valid chain with no gaps")
  func concurrentAppends() async throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: folder.path())
    let tasks = 16
    let appendsPerTask = 25
    let started = Date()

    try await withThrowingTaskGroup(of: Void.self) { group in
      for task in 0..<tasks {
        group.addTask {
          for n in 0..<appendsPerTask {
            let events = (0..<(1 + n % 3)).map {
              Fixture.event(at: Double(task * 1000 + n), "Task \(task) #\(n).\($0)")
            }
            try await store.append(events)
          }
        }
      }
      try await group.waitForAll()
    }
    let elapsed = Date().timeIntervalSince(started)

    let expected = tasks * (0..<appendsPerTask).map { 1 + $0 % 3 }.reduce(0, +)
    #expect(try await store.verifyChain().isIntact)
    #expect(try await store.lastEventSeq() == Int64(expected))
    #expect(try rawInt(folder.path(), "SELECT COUNT(DISTINCT seq) FROM events") == expected)
    #expect(try rawInt(folder.path(), "SELECT MAX(seq) - MIN(seq) + 1 FROM events") == expected)
    print("concurrent appends: \(tasks * appendsPerTask) transactions, \(expected) events in \(elapsed) s")
  }
}
