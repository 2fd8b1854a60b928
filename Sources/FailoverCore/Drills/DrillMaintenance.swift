import Foundation

/// A drill as status pages see it: a Statuspage scheduled maintenance while it is scheduled (within two weeks) or
/// running, and `under_maintenance` for the components of the services it moves while it runs.
public struct DrillMaintenance: Sendable, Hashable {
  /// The drill's id.
  public var id: String
  /// A title, e.g. `Failover drill: api.example.com to us-west-2`.
  public var name: String
  /// `scheduled`, `in_progress` (moving out, holding) or `verifying` (moving back).
  public var status: String
  /// The services it moves.
  public var services: [ServiceID]
  /// When it starts.
  public var scheduledFor: Date
  /// When it is expected to end.
  public var scheduledUntil: Date
  /// When the drill was created.
  public var createdAt: Date
  /// When it last changed.
  public var updatedAt: Date

  /// How far ahead scheduled drills are announced.
  public static let horizon: Double = 14 * 86400

  /// The maintenances of `drills` and their `running` runs; `routing` tells which services a region drill moves.
  public static func of(
    _ drills: [Drill], running: [DrillRun], routing: [ServiceID: RoutingState], now: Date
  ) -> [DrillMaintenance] {
    drills.compactMap { drill in
      let name = "Failover drill: \(drill.subject.name) to \(drill.targetRegion)"
      if let run = running.first(where: { $0.drillID == drill.id }) {
        let end = run.holdEndsAt ?? drill.slot(at: run.startedAt).end
        return DrillMaintenance(
          id: drill.id, name: name, status: run.phase == .failingBack ? "verifying" : "in_progress",
          services: run.moves.map(\.service), scheduledFor: run.scheduledAt,
          scheduledUntil: max(end, now), createdAt: drill.createdAt, updatedAt: now)
      }
      guard !drill.state.isFinal, !drill.paused, let next = drill.nextRunAt,
        next.timeIntervalSince(now) <= horizon
      else { return nil }
      let services: [ServiceID] =
        switch drill.subject {
        case .service(let id): [id]
        case .region(let region): routing.filter { $0.value.activeRegion == region }.keys.sorted()
        }
      return DrillMaintenance(
        id: drill.id, name: name, status: "scheduled", services: services, scheduledFor: next,
        scheduledUntil: drill.slot(at: next).end, createdAt: drill.createdAt, updatedAt: drill.updatedAt)
    }
  }
}

extension DrillSubject {
  /// The service or region id, without its kind.
  public var name: String {
    switch self {
    case .service(let id): id.rawValue
    case .region(let id): id.rawValue
    }
  }
}
