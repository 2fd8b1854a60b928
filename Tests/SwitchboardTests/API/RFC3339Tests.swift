import Foundation
import Switchboard
import Testing

/// RFC 3339 date-times exactly as the OpenAPI contract's `date-time` format admits them.
@Suite("RFC 3339 timestamps")
struct RFC3339Tests {
  @Test(
    "Given date-times the contract admits, then each parses to its instant, whatever its offset",
    arguments: [
      ("2026-11-22T10:00:00Z", 1_795_341_600.0),
      ("2026-11-22T10:00:00.5Z", 1_795_341_600.5),
      ("2026-11-22T10:00:00.123456789Z", 1_795_341_600.123456789),
      ("2026-11-22T15:30:00+05:30", 1_795_341_600.0),
      ("2026-11-22T05:00:00-05:00", 1_795_341_600.0),
      ("2026-11-23T05:57:00+19:57", 1_795_341_600.0),
      ("2026-11-21T10:01:00-23:59", 1_795_341_600.0),
      ("2024-02-29T00:00:00Z", 1_709_164_800.0),
      ("1970-01-01T00:00:00Z", 0.0),
      ("0001-01-01T00:00:00Z", -62_135_596_800.0),
    ])
  func admitted(text: String, seconds: Double) {
    let date = RFC3339.parse(text)
    #expect(date != nil, "\(text)")
    if let date { #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_01, "\(text): \(date)") }
  }

  @Test(
    "Given strings the contract refuses, then none parses (no rollover, no basic format, no lowercase)",
    arguments: [
      "2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T10:60:00Z",
      "2026-11-22T10:00:60Z", "0000-01-01T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-22T10:00:00.Z",
      "2026-11-22 10:00:00Z", "2026-11-22T10:00:00+0530", "20261122T100000Z", "2026-11-22t10:00:00z",
      "2026-11-22T10:00:00+24:00", "2026-11-22T10:00:00", "2026-11-22T10:00:00Zjunk", "yesterday", "",
    ])
  func refused(text: String) {
    #expect(RFC3339.parse(text) == nil, "\(text)")
  }
}
