import FailoverCore
import Foundation

/// A service's recent health history: one entry per signal and region, in configured order.
public struct ServiceObservationsRepresentation: Sendable, Hashable, Encodable {
  public var service: String
  public var signals: [SignalHistoryRepresentation]
}

/// One signal's verdict, when it last changed, and its recent observations (newest first).
public struct SignalHistoryRepresentation: Sendable, Hashable, Encodable {
  public var id: String
  public var region: String
  public var kind: String
  public var scope: String
  public var verdict: String
  /// When the verdict last changed (its last transition); nil before the first.
  @Nullable public var since: Date?
  public var observations: [ObservationRepresentation]

  public init(_ signal: SignalSnapshot, region: RegionID, observations: [Observation]) {
    let summary = SignalRepresentation(signal)
    id = summary.id
    self.region = region.rawValue
    kind = summary.kind
    scope = summary.scope
    verdict = summary.verdict
    since = signal.verdict.since
    self.observations = observations.map(ObservationRepresentation.init)
  }
}
