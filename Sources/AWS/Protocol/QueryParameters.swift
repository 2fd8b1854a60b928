import Foundation

/// Builds the flattened `List.member.N.Field` parameters of the query protocol.
public struct QueryParameters: Sendable {
  /// The parameters, in the order added.
  public private(set) var pairs: [(String, String)] = []

  /// No parameters yet.
  public init() {}

  /// Adds one parameter.
  public mutating func add(_ name: String, _ value: String) { pairs.append((name, value)) }

  /// Adds one parameter when the value is present.
  public mutating func add(_ name: String, _ value: String?) {
    if let value { pairs.append((name, value)) }
  }

  /// Adds `prefix.member.1`, `prefix.member.2`, ... for a list of strings.
  public mutating func addList(_ prefix: String, _ values: [String]) {
    for (index, value) in values.enumerated() { pairs.append(("\(prefix).member.\(index + 1)", value)) }
  }

  /// Adds `prefix.member.N.Name` / `.Value` for dimensions, in name order.
  public mutating func addDimensions(_ prefix: String, _ dimensions: [String: String]) {
    for (index, key) in dimensions.keys.sorted().enumerated() {
      pairs.append(("\(prefix).member.\(index + 1).Name", key))
      pairs.append(("\(prefix).member.\(index + 1).Value", dimensions[key]!))
    }
  }

  /// Number format the APIs accept (no exponent for ordinary values, `.0` trimmed).
  public static func number(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(value)
  }

  /// ISO 8601 in UTC, as the query protocol expects timestamps.
  public static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: date)
  }
}
