/// Why the built-in DNS server cannot start, as a sentence.
public struct DNSServerError: Error, Sendable, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
