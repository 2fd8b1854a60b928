import FailoverCore
import Foundation
import Testing

@Suite("Step outcomes: typed in the journal, readable from journals written with the dictionary")
struct StepOutcomeCodingTests {
  typealias F = Fixtures

  func json(_ value: StepOutcome) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  func decode(_ json: String) throws -> StepOutcome {
    try JSONDecoder().decode(StepOutcome.self, from: Data(json.utf8))
  }

  static let submitted = DNSChangeResult(zoneID: "Z1", change: SubmittedChange(id: "C1", status: .pending))

  @Test(
    "Given each kind of outcome, then it encodes as one flat object with the old keys and `kind`, and back")
  func flatObjects() throws {
    let expected: [(StepOutcome, String)] = [
      (.none, "{}"),
      (
        .targetHealth([RegionHealthVerdict(region: F.west, status: .healthy)]),
        #"{"kind":"target_health","verdicts":[{"region":"us-west-2","status":"healthy"}]}"#
      ),
      (
        .dnsChange(Self.submitted),
        #"{"change_id":"C1","change_status":"PENDING","kind":"dns_change","submitted":true,"zone_id":"Z1"}"#
      ),
      (
        .dnsChange(DNSChangeResult(zoneID: "Z1", change: nil)),
        #"{"kind":"dns_change","submitted":false,"zone_id":"Z1"}"#
      ),
      (.sync(SyncResult(changeID: "C1", polls: 2)), #"{"change_id":"C1","kind":"sync","polls":2}"#),
      (.sync(SyncResult(changeID: nil, polls: 0)), #"{"kind":"sync","polls":0}"#),
      (.verified(zoneID: "Z1"), #"{"kind":"verified","zone_id":"Z1"}"#),
      (.reverted(changeID: "C2"), #"{"kind":"reverted","revert_change_id":"C2","reverted":true}"#),
      (.reverted(changeID: nil), #"{"kind":"reverted","reverted":true}"#),
      (.retryScheduled(delaySeconds: 1.5), #"{"delay_seconds":1.5,"kind":"retry_scheduled"}"#),
      (.bestEffortGaveUp, #"{"best_effort_failed":true,"kind":"best_effort_gave_up"}"#),
    ]
    for (outcome, text) in expected {
      #expect(try json(outcome) == text)
      #expect(try decode(text) == outcome)
    }
  }

  @Test(
    "Given each dictionary the runner journaled before the kinds, when decoded, then it is the typed outcome")
  func legacyDictionaries() throws {
    #expect(try decode("{}") == StepOutcome.none)
    #expect(
      try decode(#"{"change_id":"C1","change_status":"PENDING","submitted":true,"zone_id":"Z1"}"#)
        == .dnsChange(Self.submitted))
    #expect(
      try decode(#"{"submitted":false,"zone_id":"Z1"}"#)
        == .dnsChange(DNSChangeResult(zoneID: "Z1", change: nil)))
    #expect(try decode(#"{"delay_seconds":0.5}"#) == .retryScheduled(delaySeconds: 0.5))
    #expect(try decode(#"{"delay_seconds":2}"#) == .retryScheduled(delaySeconds: 2))
    #expect(try decode(#"{"best_effort_failed":true}"#) == .bestEffortGaveUp)
    #expect(try decode(#"{"reverted":true}"#) == .reverted(changeID: nil))
    #expect(try decode(#"{"revert_change_id":"C2","reverted":true}"#) == .reverted(changeID: "C2"))
  }

  @Test(
    "Given an object of no known shape or an unknown kind, when decoded, then it is an error naming the keys")
  func unknownShapes() throws {
    let error = #expect(throws: DecodingError.self) { try decode(#"{"change_id":"C1"}"#) }
    if case .dataCorrupted(let context) = error {
      #expect(context.debugDescription.contains("change_id"))
    } else {
      Issue.record("expected dataCorrupted, got \(String(describing: error))")
    }
    #expect(throws: DecodingError.self) { try decode(#"{"kind":"teleported"}"#) }
    #expect(throws: DecodingError.self) { try decode(#"{"submitted":true,"zone_id":"Z1"}"#) }
  }

  @Test("Given a journal entry, then its detail is the typed outcome and the entry survives a round trip")
  func entryRoundTrip() throws {
    let entry = StepJournalEntry(
      workflowID: "wf-1", index: 2, step: .changeDNS, phase: .finished, attempt: 1,
      at: Date(timeIntervalSince1970: 1_795_000_000), message: "Change C1 accepted (PENDING).",
      detail: .dnsChange(Self.submitted))
    let data = try JSONEncoder().encode(entry)
    #expect(try JSONDecoder().decode(StepJournalEntry.self, from: data) == entry)
  }
}
