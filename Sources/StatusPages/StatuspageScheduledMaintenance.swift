import FailoverCore
import Foundation
import Switchboard

extension DrillMaintenance {
  /// Reads drills from `store` when it keeps them (nil otherwise, or when it cannot be read).
  static func read(from store: Any, snapshot: EngineSnapshot, now: Date) async -> [DrillMaintenance]? {
    guard let drills = store as? any DrillStore,
      let all = try? await drills.drills(), let running = try? await drills.runningDrillRuns()
    else { return nil }
    let routing = Dictionary(snapshot.services.map { ($0.id, $0.routing) }, uniquingKeysWith: { a, _ in a })
    return of(all, running: running, routing: routing, now: now)
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
