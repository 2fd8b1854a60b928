/// An optional member that is written as `null` when absent (the contract lists it as required and nullable),
/// where a plain optional would be left out.
@propertyWrapper
public struct Nullable<Value: Encodable & Sendable & Hashable>: Encodable, Sendable, Hashable {
  public var wrappedValue: Value?

  public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
  }
}
