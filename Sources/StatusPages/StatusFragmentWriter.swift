import Foundation
import HTTPServer
import Switchboard

/// Writes the per-service parts of the status documents (a `ServiceStatusEntry`, a `StatuspageComponent`) with the
/// same bytes `APIJSON.encode` gives them, without reflection: keys in sorted snake_case order, written out.
/// A member added to those types is added here too (`StatusFragmentTests` compares the two).
struct StatusFragmentWriter: Sendable {
  private var timestamps: [Date: String] = [:]

  /// One entry of `/api/v1/status`'s `services`.
  mutating func write(_ entry: ServiceStatusEntry) -> [UInt8] {
    var json = JSONWriter(capacity: 160 + 120 * entry.regions.count)
    json.raw(#"{"active_regions":"#)
    json.strings(entry.activeRegions)
    json.raw(#","failover_in_progress":"#)
    json.bool(entry.failoverInProgress)
    json.raw(#","id":"#)
    json.string(entry.id)
    json.raw(#","primary_region":"#)
    json.string(entry.primaryRegion)
    json.raw(#","regions":["#)
    for (index, region) in entry.regions.enumerated() {
      json.raw(index == 0 ? #"{"health":"# : #",{"health":"#)
      json.string(region.health.rawValue)
      json.raw(#","primary":"#)
      json.bool(region.primary)
      json.raw(#","receives_traffic":"#)
      json.bool(region.receivesTraffic)
      json.raw(#","region":"#)
      json.string(region.region)
      json.raw(#","since":"#)
      json.string(region.since.map { timestamp($0) })
      json.raw("}")
    }
    json.raw(#"],"routing_mode":"#)
    json.string(entry.routingMode)
    json.raw(#","status":"#)
    json.string(entry.status.rawValue)
    json.raw("}")
    return json.bytes
  }

  /// One component of `/api/v2/summary.json` appended to `json`.
  mutating func write(_ component: StatuspageComponent, to json: inout JSONWriter) {
    if let members = component.components {
      json.raw(#"{"components":"#)
      json.strings(members)
      json.raw(#","created_at":"#)
    } else {
      json.raw(#"{"created_at":"#)
    }
    json.string(timestamp(component.createdAt))
    json.raw(#","description":"#)
    json.string(component.description)
    json.raw(#","group":"#)
    json.bool(component.group)
    json.raw(#","group_id":"#)
    json.string(component.groupID)
    json.raw(#","id":"#)
    json.string(component.id)
    json.raw(#","name":"#)
    json.string(component.name)
    json.raw(#","only_show_if_degraded":"#)
    json.bool(component.onlyShowIfDegraded)
    json.raw(#","page_id":"#)
    json.string(component.pageID)
    json.raw(#","position":"#)
    json.int(component.position)
    json.raw(#","showcase":"#)
    json.bool(component.showcase)
    json.raw(#","start_date":"#)
    json.string(component.startDate)
    json.raw(#","status":"#)
    json.string(component.status.rawValue)
    json.raw(#","updated_at":"#)
    json.string(timestamp(component.updatedAt))
    json.raw("}")
  }

  /// `APIJSON.timestamp`, remembered: most dates on a page are the same few instants.
  mutating func timestamp(_ date: Date) -> String {
    if let text = timestamps[date] { return text }
    if timestamps.count >= 4096 { timestamps.removeAll(keepingCapacity: true) }
    let text = APIJSON.timestamp(date)
    timestamps[date] = text
    return text
  }
}
