import Foundation

/// A region services run in, with the signals that speak for the whole region (e.g. a regional alarm).
public struct Region: Sendable, Hashable, Codable {
  /// The region's name, e.g. `us-east-1`.
  public var id: RegionID
  /// Signals that count towards the health of every service in this region.
  public var signals: [SignalSpec]
  public init(id: RegionID, signals: [SignalSpec] = []) {
    self.id = id
    self.signals = signals
  }
}
