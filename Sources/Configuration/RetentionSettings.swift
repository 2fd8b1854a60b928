import Foundation

/// How long the store keeps what would otherwise grow without bound (`retention:` in the configuration), and how
/// often it prunes while serving. Reloadable: the next pruning uses the values in force.
public struct RetentionSettings: Sendable, Hashable {
  /// Audit events older than this are pruned (a checkpoint keeps the chain verifiable). Default 90 days.
  public var events: TimeInterval
  /// Workflows that ended longer ago than this are pruned with their steps, and transitions too (each
  /// service's latest stays). Default 90 days.
  public var workflows: TimeInterval
  /// Overrides that expired longer ago than this are pruned. Default 30 days.
  public var overrides: TimeInterval
  /// How often the store is pruned while serving (also once at start). Default 1 hour.
  public var interval: TimeInterval

  public init(
    events: TimeInterval = 90 * 86400, workflows: TimeInterval = 90 * 86400,
    overrides: TimeInterval = 30 * 86400, interval: TimeInterval = 3600
  ) {
    self.events = events
    self.workflows = workflows
    self.overrides = overrides
    self.interval = interval
  }
}

extension ConfigDecoder {
  /// The `retention:` section: each age at least an hour and at most ten years; the interval 1 minute to 1 day.
  func decodeRetention(_ retention: MappingReader) -> RetentionSettings {
    retention.allowKeys(["events", "workflows", "overrides", "interval"])
    var result = RetentionSettings()
    let ages: ClosedRange<Double> = 3600...(3650 * 86400)
    if let value = retention.duration("events", in: ages) { result.events = value }
    if let value = retention.duration("workflows", in: ages) { result.workflows = value }
    if let value = retention.duration("overrides", in: ages) { result.overrides = value }
    if let value = retention.duration("interval", in: 60...86400) { result.interval = value }
    return result
  }
}
