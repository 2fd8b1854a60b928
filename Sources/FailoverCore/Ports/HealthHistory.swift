/// A bounded history of health observations per signal (the backend keeps the last N of each).
public protocol HealthHistory: Sendable {
  /// Records observations (e.g. one tick's) and prunes each signal's history, in one transaction.
  func recordObservations(_ observations: [Observation]) async throws
  /// The last `limit` observations of one signal, newest first.
  func recentObservations(signal: SignalKey, limit: Int) async throws -> [Observation]
  /// The last `limit` observations of every signal of a service in a region (its own signals, not region-wide
  /// ones; pass `service: nil` for those), newest first.
  func recentObservations(service: ServiceID?, region: RegionID, limit: Int) async throws -> [Observation]
}
