import FailoverCore
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

  /// The maintenances of `drills` and their `running` runs, for the services of `snapshot`.
  public static func of(_ drills: [Drill], running: [DrillRun], snapshot: EngineSnapshot, now: Date)
    -> [DrillMaintenance]
  {
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
        case .region(let region): snapshot.services.filter { $0.activeRegion == region }.map(\.id)
        }
      return DrillMaintenance(
        id: drill.id, name: name, status: "scheduled", services: services, scheduledFor: next,
        scheduledUntil: drill.slot(at: next).end, createdAt: drill.createdAt, updatedAt: drill.updatedAt)
    }
  }

  /// Reads drills from `store` when it keeps them (nil otherwise, or when it cannot be read).
  static func read(from store: Any, snapshot: EngineSnapshot, now: Date) async -> [DrillMaintenance]? {
    guard let drills = store as? any DrillStore,
      let all = try? await drills.drills(), let running = try? await drills.runningDrillRuns()
    else { return nil }
    return of(all, running: running, snapshot: snapshot, now: now)
  }

  /// Applies `maintenances` to the summary's components: those of services under a running drill become
  /// `under_maintenance`; returns them with the maintenance documents.
  static func apply(_ maintenances: [DrillMaintenance], to components: [StatuspageComponent], pageID: String)
    -> ([StatuspageComponent], [StatuspageScheduledMaintenance])
  {
    let moving = Set(maintenances.filter { $0.status != "scheduled" }.flatMap(\.services).map(\.rawValue))
    let groups = Set(components.filter { $0.group && moving.contains($0.name) }.map(\.id))
    let marked = components.map { component in
      var component = component
      if groups.contains(component.id) || component.groupID.map(groups.contains) == true {
        component.status = .underMaintenance
      }
      return component
    }
    let documents = maintenances.map { maintenance in
      let names = Set(maintenance.services.map(\.rawValue))
      let ids = Set(marked.filter { $0.group && names.contains($0.name) }.map(\.id))
      return StatuspageScheduledMaintenance(
        id: maintenance.id, name: maintenance.name, status: maintenance.status, impact: "maintenance",
        createdAt: maintenance.createdAt, updatedAt: maintenance.updatedAt, monitoringAt: nil,
        resolvedAt: nil, shortlink: "", pageID: pageID, incidentUpdates: [],
        scheduledFor: maintenance.scheduledFor, scheduledUntil: maintenance.scheduledUntil,
        components: marked.filter { ids.contains($0.id) || $0.groupID.map(ids.contains) == true })
    }
    return (marked, documents)
  }
}

/// A Statuspage scheduled maintenance (Statuspage API v2 `summary.json`), for a drill.
public struct StatuspageScheduledMaintenance: Sendable, Hashable, Encodable {
  public var id: String
  public var name: String
  /// `scheduled`, `in_progress`, `verifying` or `completed`.
  public var status: String
  /// Always `maintenance`.
  public var impact: String
  public var createdAt: Date
  public var updatedAt: Date
  @Nullable public var monitoringAt: Date?
  @Nullable public var resolvedAt: Date?
  public var shortlink: String
  public var pageID: String
  /// Always empty: drills post no updates.
  public var incidentUpdates: [String]
  public var scheduledFor: Date
  public var scheduledUntil: Date
  /// The components it moves (service groups and their regions).
  public var components: [StatuspageComponent]

  enum CodingKeys: String, CodingKey {
    case id, name, status, impact, createdAt, updatedAt, monitoringAt, resolvedAt, shortlink
    case pageID = "pageId"
    case incidentUpdates, scheduledFor, scheduledUntil, components
  }
}

extension DrillSubject {
  /// The service or region id, without its kind.
  var name: String {
    switch self {
    case .service(let id): id.rawValue
    case .region(let id): id.rawValue
    }
  }
}
