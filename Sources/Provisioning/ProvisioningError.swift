/// Why a configuration cannot be turned into Route53 and CloudWatch resources, in a sentence a person can act on.
public struct ProvisioningError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The sentence, naming the service or setting to change.
  public var description: String

  /// An error with its sentence.
  public init(_ description: String) { self.description = description }
}
