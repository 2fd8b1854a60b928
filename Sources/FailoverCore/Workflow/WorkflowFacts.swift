import Foundation

/// What the finished steps of one workflow learned that later steps need, read from its journal.
struct WorkflowFacts: Sendable {
  /// changeDNS's result once it finished: the zone, and the change waitForSync polls and revertDNS undoes.
  var dnsChange: DNSChangeResult?

  init(dnsChange: DNSChangeResult? = nil) { self.dnsChange = dnsChange }

  /// The facts of the entries that finished a step, in journal order.
  init(journal entries: [StepJournalEntry]) {
    for entry in entries where entry.phase == .finished { learn(entry.detail) }
  }

  /// Takes in what a step that just finished learned.
  mutating func learn(_ outcome: StepOutcome) {
    if let result = outcome.dnsChange { dnsChange = result }
  }
}
