import Foundation

/// The name of a region (for example `us-east-1`), used everywhere a region is referenced.
public struct RegionID: RawRepresentable, Sendable, Hashable, Comparable, Codable, ExpressibleByStringLiteral,
  CustomStringConvertible
{
  /// The name as written in the configuration.
  public var rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }
  public init(from decoder: Decoder) throws {
    rawValue = try decoder.singleValueContainer().decode(String.self)
  }
  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
  public static func < (lhs: RegionID, rhs: RegionID) -> Bool { lhs.rawValue < rhs.rawValue }
  public var description: String { rawValue }
}

/// Dictionaries keyed by RegionID encode as JSON objects, not as arrays of pairs.
extension RegionID: CodingKeyRepresentable {
  public var codingKey: any CodingKey { rawValue.codingKey }
  public init?<K: CodingKey>(codingKey: K) { self.init(rawValue: codingKey.stringValue) }
}

/// The name of a protected service (its DNS name by convention, e.g. `api.example.com`).
public struct ServiceID: RawRepresentable, Sendable, Hashable, Comparable, Codable,
  ExpressibleByStringLiteral,
  CustomStringConvertible
{
  /// The name as written in the configuration.
  public var rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }
  public init(from decoder: Decoder) throws {
    rawValue = try decoder.singleValueContainer().decode(String.self)
  }
  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
  public static func < (lhs: ServiceID, rhs: ServiceID) -> Bool { lhs.rawValue < rhs.rawValue }
  public var description: String { rawValue }
}

/// Dictionaries keyed by ServiceID encode as JSON objects, not as arrays of pairs.
extension ServiceID: CodingKeyRepresentable {
  public var codingKey: any CodingKey { rawValue.codingKey }
  public init?<K: CodingKey>(codingKey: K) { self.init(rawValue: codingKey.stringValue) }
}
