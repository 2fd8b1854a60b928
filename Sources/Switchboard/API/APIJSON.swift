import Foundation
import HTTPServer

/// The API's JSON conventions: snake_case keys, sorted (so equal documents are equal bytes, and ETags stable),
/// RFC 3339 timestamps in UTC with milliseconds.
public enum APIJSON {
  /// Encodes a value as the API does.
  public static func encode(_ value: some Encodable) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .custom { date, encoder in
      var container = encoder.singleValueContainer()
      try container.encode(timestamp(date))
    }
    do {
      return Array(try encoder.encode(value))
    } catch {
      preconditionFailure("API representations always encode: \(error)")
    }
  }

  /// A 200 (or `status`) JSON response that is never cached.
  public static func response(_ value: some Encodable, status: Status = .ok) -> Response {
    var response = Response.json(encode(value), status: status)
    response.headers.add(name: "Cache-Control", value: "no-store")
    return response
  }

  /// RFC 3339, UTC, milliseconds: `2026-11-22T02:40:00.123Z`.
  public static func timestamp(_ date: Date) -> String {
    date.formatted(
      Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(secondsFromGMT: 0)!))
  }

  /// Parses RFC 3339 with or without fractional seconds, with `Z` or an explicit offset (strictly: see RFC3339).
  public static func parseTimestamp(_ text: String) -> Date? { RFC3339.parse(text) }
}
