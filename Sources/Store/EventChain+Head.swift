import FailoverCore

extension EventChain {
  /// Whether the log ends where the last append left it (`recorded`, the chain head kept beside the events): the
  /// same check for every backend.
  public static func headMismatch(recorded: (seq: Int64, hash: String), last: (seq: Int64, hash: String))
    -> ChainBreak?
  {
    if recorded.seq > last.seq {
      return ChainBreak(
        seq: last.seq + 1, expected: "events up to \(recorded.seq), ending with hash \(recorded.hash)",
        found: last.seq == 0 ? "no events" : "events up to \(last.seq)",
        problem: "the log ends before its recorded head: events were removed from its end")
    }
    if recorded.seq < last.seq {
      return ChainBreak(
        seq: recorded.seq + 1, expected: "the log to end at the recorded head, event \(recorded.seq)",
        found: "events up to \(last.seq)",
        problem: "events follow the recorded head: they were added outside the store, or the head was edited")
    }
    if recorded.hash != last.hash {
      return ChainBreak(
        seq: last.seq, expected: recorded.hash, found: last.hash,
        problem:
          "the last event's hash differs from the recorded head: it was rewritten after it was appended")
    }
    return nil
  }
}
