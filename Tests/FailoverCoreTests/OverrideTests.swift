import FailoverCore
import Foundation
import Testing

@Suite("OverrideBook: validation, clearing and expiry")
struct OverrideTests {
  typealias F = Fixtures
  let regions: [RegionID] = [Fixtures.east, Fixtures.west]

  func request(
    _ kind: OverrideKind, scope: OverrideScope = .service(Fixtures.api), target: RegionID? = nil,
    reason: String = "deploy", duration: Double? = nil, allowUnhealthy: Bool = false
  ) -> OverrideRequest {
    OverrideRequest(
      scope: scope, kind: kind, targetRegion: target, allowUnhealthyTarget: allowUnhealthy, actor: "alice",
      reason: reason, duration: duration)
  }

  func create(_ request: OverrideRequest, book: inout OverrideBook, id: String = "ov-1") throws(OverrideError)
    -> (Override, Event)
  {
    try book.create(request, id: id, at: F.t0, services: [F.service()], regions: regions, policy: Policy())
  }

  @Test("Given no duration, then the override expires after the default 4 hours and an event is produced")
  func defaultExpiry() throws {
    var book = OverrideBook()
    let (override, event) = try create(request(.block), book: &book)
    #expect(override.expiresAt == F.t0 + 4 * 3600)
    #expect(event.kind == .overrideCreated)
    #expect(event.actor == "alice")
    #expect(book.applicable(to: F.service(), at: F.t0 + 60).map(\.id) == ["ov-1"])
  }

  @Test("Given invalid requests, then each is refused with a sentence")
  func validation() {
    var book = OverrideBook()
    let cases: [(OverrideRequest, String)] = [
      (request(.block, reason: "  "), "needs a reason"),
      (request(.block, duration: 73 * 3600), "at most 72 h"),
      (request(.block, duration: 0), "must be positive"),
      (request(.force), "needs the region"),
      (request(.force, scope: .global, target: F.west), "service scope"),
      (request(.force, target: "ap-south-1"), "not configured"),
      (request(.drain), "needs the region"),
      (request(.freeze, target: F.west), "takes no target"),
      (request(.block, allowUnhealthy: true), "only applies to force"),
      (request(.block, scope: .service("nope")), "Service nope is not configured"),
    ]
    for (given, expected) in cases {
      #expect(throws: OverrideError.self) { try create(given, book: &book) }
      do {
        _ = try create(given, book: &book)
      } catch {
        #expect(error.message.contains(expected), "\(error.message)")
      }
    }
    #expect(book.overrides.isEmpty)
  }

  @Test(
    "Given an active override, when cleared early, then it stops applying and an event names who cleared it")
  func clearEarly() throws {
    var book = OverrideBook()
    _ = try create(request(.drain, scope: .region(F.east)), book: &book)
    let (cleared, event) = try book.clear(id: "ov-1", by: "bob", at: F.t0 + 60)
    #expect(cleared.clearedBy == "bob")
    #expect(event.kind == .overrideCleared)
    #expect(book.active(at: F.t0 + 61).isEmpty)
    #expect(throws: OverrideError.self) { try book.clear(id: "ov-1", by: "bob", at: F.t0 + 62) }
  }

  @Test("Given an override past its expiry, when the engine enforces expiry, then one event is produced once")
  func expiry() throws {
    var book = OverrideBook()
    _ = try create(request(.freeze, scope: .global, duration: 3600), book: &book)
    #expect(book.expire(at: F.t0 + 3599).isEmpty)
    let expired = book.expire(at: F.t0 + 3600)
    #expect(expired.count == 1)
    #expect(expired.first?.1.kind == .overrideExpired)
    #expect(expired.first?.1.actor == Event.automaticActor)
    #expect(book.expire(at: F.t0 + 3700).isEmpty)
    #expect(book.active(at: F.t0 + 3600).isEmpty)
  }

  @Test("Given a region-scoped block, then it covers services running in that region only")
  func scopeMatching() throws {
    var book = OverrideBook()
    _ = try create(request(.block, scope: .region(F.west)), book: &book)
    #expect(book.applicable(to: F.service(), at: F.t0 + 1).count == 1)
    #expect(book.applicable(to: F.service(regions: [F.east, F.central]), at: F.t0 + 1).isEmpty)
  }

  @Test("Given an event, then its canonical encoding is deterministic with sorted keys")
  func canonicalEventEncoding() throws {
    var book = OverrideBook()
    let (_, event) = try create(request(.block), book: &book)
    let text = String(decoding: event.canonicalJSON(), as: UTF8.self)
    #expect(event.canonicalJSON() == event.canonicalJSON())
    #expect(text.hasPrefix(#"{"actor":"alice","at":"2027-01-15T08:00:00.000Z","details":{"expires_at""#))
  }
}
