import FailoverCore

/// What bootstrap or teardown did (or, in a dry run, would do): printable for the CLI.
public struct ProvisionReport: Sendable, Hashable, CustomStringConvertible {
  /// True when nothing was sent because of `--dry-run`.
  public var dryRun: Bool
  /// Each action in words, in the order it was (or would be) taken.
  public var actions: [String]
  /// The Route53 change batches sent (or that would be sent).
  public var changeBatches: [DNSChangeBatch]

  /// A report; empty until actions or batches are added.
  public init(dryRun: Bool, actions: [String] = [], changeBatches: [DNSChangeBatch] = []) {
    self.dryRun = dryRun
    self.actions = actions
    self.changeBatches = changeBatches
  }

  /// True when there was nothing to do.
  public var isEmpty: Bool { actions.isEmpty && changeBatches.isEmpty }

  /// The actions and batches as lines for the terminal.
  public var description: String {
    if isEmpty { return "Nothing to do: Route53 and CloudWatch already match the configuration." }
    var lines: [String] = []
    let verb = dryRun ? "Would" : "Did"
    for action in actions { lines.append("\(verb): \(action)") }
    for batch in changeBatches {
      lines.append(Self.render(batch))
    }
    return lines.joined(separator: "\n")
  }

  /// A change batch as the lines an operator reviews.
  public static func render(_ batch: DNSChangeBatch) -> String {
    var lines = [
      "Route53 change batch for zone \(batch.zoneID)" + (batch.comment.map { " (\($0))" } ?? "") + ":"
    ]
    for change in batch.changes {
      lines.append("  \(change.action.rawValue) \(render(change.record))")
    }
    return lines.joined(separator: "\n")
  }

  /// One record set on one line.
  public static func render(_ record: DNSRecord) -> String {
    var parts = [record.name, record.type]
    switch record.routing {
    case .simple: break
    case .failover(let role, let id): parts.append("failover=\(role.rawValue) set=\(id)")
    case .weighted(let weight, let id): parts.append("weight=\(weight) set=\(id)")
    }
    if let ttl = record.ttl { parts.append("ttl=\(ttl)") }
    if !record.values.isEmpty { parts.append("values=\(record.values.joined(separator: ","))") }
    if let alias = record.alias {
      parts.append(
        "alias=\(alias.dnsName) zone=\(alias.hostedZoneID) evaluate-target-health=\(alias.evaluateTargetHealth)"
      )
    }
    if let id = record.healthCheckID { parts.append("health-check=\(id)") }
    return parts.joined(separator: " ")
  }
}
