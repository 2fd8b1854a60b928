// libFuzzer target for the HTTP/1.1 request parser (built by scripts/fuzz-parser, not by SwiftPM).
//
// Properties checked on every input:
// - no crash, no trap, no sanitizer report;
// - the parser always consumes within the bytes it was given and never loops without progress;
// - feeding the input in two pieces (split at a point derived from the input) yields exactly the same
//   requests, bodies and verdict as feeding it whole.

struct Outcome: Equatable {
  var heads: [String] = []
  var bodies: [[UInt8]] = []
  var error: Int?
}

func run(_ pieces: [ArraySlice<UInt8>]) -> Outcome {
  var limits = ParserLimits()
  limits.maxHeaderSectionBytes = 2048
  limits.maxBodyBytes = 4096
  var parser = HTTP1RequestParser(limits: limits)
  var outcome = Outcome()
  var pending: [UInt8] = []
  var current: [UInt8] = []
  var steps = 0
  for piece in pieces {
    pending += piece
    parsing: while true {
      steps += 1
      precondition(steps < 100_000, "the parser loops without progress")
      let result = pending.withUnsafeBytes { raw in
        Result { () throws(HTTPParseError) in try parser.next(raw) }
      }
      guard case .success(let (consumed, event)) = result else {
        if case .failure(let error) = result { outcome.error = error.status.code }
        return outcome
      }
      precondition(consumed >= 0 && consumed <= pending.count, "consumed outside the buffer")
      switch event {
      case .needMore:
        if consumed == 0 { break parsing }
      case .head(let head):
        outcome.heads.append(
          "\(head.method) \(head.target) \(head.version) \(head.framing) \(head.keepAlive)")
      case .body(let range):
        precondition(
          range.lowerBound >= 0 && range.upperBound <= pending.count, "body range outside the buffer")
        current += pending[range]
      case .end:
        outcome.bodies.append(current)
        current = []
      }
      pending.removeFirst(consumed)
    }
  }
  return outcome
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
  let whole = run([bytes[...]])
  if count > 1 {
    let split = Int(bytes[0]) % count
    let pieces = run([bytes[..<split], bytes[split...]])
    precondition(whole == pieces, "splitting the input changed the result: \(whole) vs \(pieces)")
  }
  return 0
}
