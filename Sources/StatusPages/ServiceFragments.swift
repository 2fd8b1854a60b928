import FailoverCore
import Foundation
import HTTPServer
import Switchboard

/// One service's parts of the status documents, encoded once per visible change of the service and reused by
/// every render in between.
///
/// `entry` (what `/api/v1/status` shows of the service) is the visible-change key: the Statuspage components
/// are derived from it too, so observations that change nothing shown (latency, timestamps, counters) leave
/// the fragments as they are.
struct ServiceFragments: Sendable {
  /// What the status document shows of the service.
  var entry: ServiceStatusEntry
  /// The service's group position on the page (its regions follow it).
  var position: Int
  /// The store's first-seen names of the group and of each region component (`StatusRenderer.componentKeys`).
  var keys: [String]
  /// The components' ids, derived from `keys` (hashed once, not at every change).
  var ids: [String]
  /// The first-seen times the fragments were written with.
  var firstSeen: [Date?]
  /// Each component's status and times, by component id.
  var memory: [String: ComponentMemory]
  /// The encoded `services` element of `/api/v1/status`.
  var status: [UInt8]
  /// The encoded group and region components of `/api/v2/summary.json`, comma-separated.
  var components: [UInt8]

  /// A component's status and when it was created and last changed.
  struct ComponentMemory: Sendable, Hashable {
    var status: ComponentStatus
    var createdAt: Date
    var updatedAt: Date
  }

  /// What `/api/v1/status` shows of a service.
  static func entry(_ service: ServiceSnapshot) -> ServiceStatusEntry {
    let primary = service.regions.first?.region
    return ServiceStatusEntry(
      id: service.id.rawValue, status: StatusRules.serviceStatus(service),
      routingMode: service.routingMode.rawValue, primaryRegion: primary?.rawValue,
      activeRegions: service.routing.receivingRegions.map(\.rawValue),
      failoverInProgress: service.workflow != nil,
      regions: service.regions.map { region in
        ServiceRegionStatus(
          region: region.region.rawValue, health: region.health.status, since: region.health.since,
          receivesTraffic: service.routing.receives(region.region), primary: region.region == primary)
      })
  }

  /// The fragments of `entry` at `position`, carrying over components' times from `previous`.
  static func make(
    _ entry: ServiceStatusEntry, position: Int, keys: [String], firstSeen: [Date?],
    previous: ServiceFragments?,
    pageID: String, now: Date, writer: inout StatusFragmentWriter
  ) -> ServiceFragments {
    let ids = previous.flatMap { $0.keys == keys ? $0.ids : nil } ?? keys.map(StatusRenderer.stableID)
    var memory: [String: ComponentMemory] = [:]
    for (index, part) in parts(entry, ids: ids).enumerated() {
      var remembered =
        previous?.memory[part.id] ?? ComponentMemory(status: part.status, createdAt: now, updatedAt: now)
      if let seen = firstSeen[index] { remembered.createdAt = seen }
      if remembered.status != part.status {
        remembered.status = part.status
        remembered.updatedAt = now
      }
      memory[part.id] = remembered
    }
    var fragments = ServiceFragments(
      entry: entry, position: position, keys: keys, ids: ids, firstSeen: firstSeen, memory: memory,
      status: writer.write(entry), components: [])
    let values = fragments.componentValues(pageID: pageID)
    var json = JSONWriter(capacity: 420 * values.count)
    for (index, component) in values.enumerated() {
      if index > 0 { json.raw(",") }
      writer.write(component, to: &json)
    }
    fragments.components = json.bytes
    return fragments
  }

  /// The group and region components as values, the group first: rebuilt from `entry` and the remembered times
  /// when asked (the rare renders that mark some under maintenance) rather than kept beside their encoding.
  func componentValues(pageID: String) -> [StatuspageComponent] {
    let groupID = ids[0]
    return Self.parts(entry, ids: ids).enumerated().map { index, part in
      let remembered =
        memory[part.id]
        ?? ComponentMemory(status: part.status, createdAt: .distantPast, updatedAt: .distantPast)
      return StatuspageComponent(
        id: part.id, name: part.name, status: part.status, createdAt: remembered.createdAt,
        updatedAt: remembered.updatedAt, position: position + index, description: part.description,
        showcase: true, startDate: nil, groupID: index == 0 ? nil : groupID, pageID: pageID,
        group: index == 0,
        onlyShowIfDegraded: false, components: index == 0 ? Array(ids.dropFirst()) : nil)
    }
  }

  /// The service's group component, then one per region: id, name, status and sentence.
  private static func parts(_ entry: ServiceStatusEntry, ids: [String]) -> [(
    id: String, name: String, status: ComponentStatus, description: String
  )] {
    let primary = entry.primaryRegion ?? "none"
    let traffic = entry.activeRegions.isEmpty ? "no region" : entry.activeRegions.joined(separator: ", ")
    var parts = [
      (
        id: ids[0], name: entry.id, status: entry.status,
        description: "Traffic to \(traffic); primary \(primary)."
      )
    ]
    for (region, id) in zip(entry.regions, ids.dropFirst()) {
      let role = region.receivesTraffic ? "receives traffic" : "standby"
      parts.append(
        (
          id, "\(entry.id) (\(region.region))", StatusRules.regionStatus(region.health),
          "\(region.health.rawValue); \(role)."
        ))
    }
    return parts
  }
}
