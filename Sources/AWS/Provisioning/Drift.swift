/// One way Route53 or CloudWatch differs from the desired state.
public struct Drift: Sendable, Hashable, CustomStringConvertible {
  /// How the resource differs.
  public enum Kind: Sendable, Hashable {
    /// Desired but absent.
    case missing
    /// Present with other settings.
    case differs([FieldDifference])
    /// Owned by Switchboard (carries the owner prefix) but no longer desired.
    case extraOwned
  }

  /// The kind of resource: `hosted zone`, `health check`, `record`, `alarm`.
  public var resourceType: String
  /// Which one, in words (`api.example.com CNAME (set primary)`).
  public var resource: String
  public var kind: Kind

  public init(resourceType: String, resource: String, kind: Kind) {
    self.resourceType = resourceType
    self.resource = resource
    self.kind = kind
  }

  /// The `plan` command's exit status: 0 when nothing drifted, 2 when something did (errors exit 1).
  public static func exitCode(_ drifts: [Drift]) -> Int32 {
    drifts.isEmpty ? 0 : 2
  }

  /// One line: `missing record api.example.com CNAME (set primary)`, or `differs ... (ttl: 300 → 60)`.
  public var description: String {
    switch kind {
    case .missing:
      return "missing \(resourceType) \(resource)"
    case .extraOwned:
      return "extra-owned \(resourceType) \(resource) (created by Switchboard, no longer configured)"
    case .differs(let fields):
      return "differs \(resourceType) \(resource) (" + fields.map(\.description).joined(separator: "; ") + ")"
    }
  }
}

/// A field that has one value and should have another.
public struct FieldDifference: Sendable, Hashable, CustomStringConvertible {
  public var field: String
  public var have: String
  public var want: String

  public init(field: String, have: String, want: String) {
    self.field = field
    self.have = have
    self.want = want
  }

  public var description: String { "\(field): \(have) → \(want)" }
}
