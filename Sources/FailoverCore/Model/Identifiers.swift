import Foundation

/// A name used as an identifier (a region, a service): a string with identity, order, JSON as a plain string,
/// and dictionaries keyed by it encoded as JSON objects.
public protocol StringIdentifier: RawRepresentable, Sendable, Hashable, Comparable, Codable,
  ExpressibleByStringLiteral, CustomStringConvertible, CodingKeyRepresentable
where RawValue == String {
  init(rawValue: String)
}

extension StringIdentifier {
  public init(_ rawValue: String) { self.init(rawValue: rawValue) }
  public init(stringLiteral value: String) { self.init(rawValue: value) }
  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
  public var description: String { rawValue }
  public var codingKey: any CodingKey { rawValue.codingKey }
  public init?<K: CodingKey>(codingKey: K) { self.init(rawValue: codingKey.stringValue) }
}

/// The name of a region (for example `us-east-1`), used everywhere a region is referenced.
public struct RegionID: StringIdentifier {
  /// The name as written in the configuration.
  public var rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
}

/// The name of a protected service (its DNS name by convention, e.g. `api.example.com`).
public struct ServiceID: StringIdentifier {
  /// The name as written in the configuration.
  public var rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
}
