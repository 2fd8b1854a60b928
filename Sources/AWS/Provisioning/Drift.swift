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
    /// A record under an earlier set identifier, replaced by the desired record named here.
    case legacy(replacedBy: String)
    /// Present, but in a region where it cannot work; it belongs in the region named here.
    case misplaced(found: String, belongs: String)
  }

  /// The kind of resource: `hosted zone`, `health check`, `record`, `alarm`.
  public var resourceType: String
  /// Which one, in words (`api.example.com CNAME (set primary)`).
  public var resource: String
  /// How it differs.
  public var kind: Kind

  /// A drift of one resource.
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
    case .legacy(let replacement):
      return "legacy \(resourceType) \(resource) (still takes traffic; replaced by \(replacement))"
    case .misplaced(let found, let belongs):
      return "misplaced \(resourceType) \(resource) (in \(found); it belongs in \(belongs))"
    case .differs(let fields):
      return "differs \(resourceType) \(resource) (" + fields.map(\.description).joined(separator: "; ") + ")"
    }
  }
}

/// A field that has one value and should have another.
public struct FieldDifference: Sendable, Hashable, CustomStringConvertible {
  /// The field's name, in words (`ttl`, `failure threshold`).
  public var field: String
  /// The value the service holds.
  public var have: String
  /// The value the configuration asks for.
  public var want: String

  /// A difference of one field.
  public init(field: String, have: String, want: String) {
    self.field = field
    self.have = have
    self.want = want
  }

  /// `field: have → want`.
  public var description: String { "\(field): \(have) → \(want)" }
}
