import FailoverCore
import Foundation

/// Turns engine snapshots into the three status documents, remembering when each part last changed so that
/// equal states render to equal bytes (and equal ETags).
///
/// `updated_at` (and the page's `updated_at`) is the time of the first render whose content differed from the
/// previous one; a component's `updated_at` is when its status last changed, its `created_at` when the store
/// first saw it (`firstSeen`, kept across restarts), or else when it was first rendered.
public struct StatusRenderer: Sendable {
  /// The page's name in the Statuspage documents.
  public let pageName: String
  /// Where the page is read (Statuspage's `page.url`).
  public let pageURL: String
  private let pageID: String
  private var lastContent: [UInt8]?
  private var contentUpdatedAt: Date?
  private var components: [String: ComponentMemory] = [:]

  private struct ComponentMemory: Sendable {
    var status: ComponentStatus
    var createdAt: Date
    var updatedAt: Date
  }

  /// A renderer for a page called `pageName`, read at `pageURL`.
  public init(pageName: String = "Switchboard", pageURL: String = "/") {
    self.pageName = pageName
    self.pageURL = pageURL
    pageID = Self.stableID("page:\(pageName)")
  }

  /// The names under which the store keeps each component's first-seen time (see `componentKeys`).
  public static func componentKeys(_ snapshot: EngineSnapshot) -> [String] {
    snapshot.services.flatMap { service in
      [groupKey(service.id)] + service.regions.map { regionKey(service.id, $0.region) }
    }
  }

  private static func groupKey(_ service: ServiceID) -> String { "service:\(service)" }
  private static func regionKey(_ service: ServiceID, _ region: RegionID) -> String {
    "service-region:\(service)/\(region)"
  }

  /// Renders the documents for `snapshot` at `now`; `firstSeen` (by `componentKeys` name) gives components'
  /// `created_at`.
  public mutating func render(
    _ snapshot: EngineSnapshot, lastFailover: LastFailover?, now: Date, firstSeen: [String: Date] = [:],
    maintenances: [DrillMaintenance] = []
  ) -> RenderedStatus {
    let epoch = Date(timeIntervalSince1970: 0)
    var status = Self.statusDocument(snapshot, lastFailover: lastFailover, updatedAt: epoch)
    let components = components(snapshot, now: now, firstSeen: firstSeen)
    let content = APIJSON.encode(status) + APIJSON.encode(components)
    if content != lastContent || contentUpdatedAt == nil {
      lastContent = content
      contentUpdatedAt = now
    }
    let updatedAt = contentUpdatedAt ?? now
    status.updatedAt = updatedAt
    let page = StatuspagePage(
      id: pageID, name: pageName, url: pageURL, timeZone: "Etc/UTC", updatedAt: updatedAt)
    let verdict = StatuspageStatus(indicator: status.indicator, description: status.description)
    return RenderedStatus(
      status: RenderedDocument(APIJSON.encode(status)),
      statuspageStatus: RenderedDocument(
        APIJSON.encode(StatuspageStatusDocument(page: page, status: verdict))),
      statuspageSummary: RenderedDocument(APIJSON.encode(summary(page, components, verdict, maintenances))))
  }

  /// summary.json, with drills as scheduled maintenances and the components they move under maintenance.
  private func summary(
    _ page: StatuspagePage, _ components: [StatuspageComponent], _ verdict: StatuspageStatus,
    _ maintenances: [DrillMaintenance]
  ) -> StatuspageSummaryDocument {
    let (marked, documents) = DrillMaintenance.apply(maintenances, to: components, pageID: pageID)
    return StatuspageSummaryDocument(
      page: page, components: marked, scheduledMaintenances: documents, status: verdict)
  }

  /// `/api/v1/status` for a snapshot (pure).
  public static func statusDocument(_ snapshot: EngineSnapshot, lastFailover: LastFailover?, updatedAt: Date)
    -> StatusDocument
  {
    let indicator = StatusRules.indicator(snapshot)
    var regionOrder: [RegionID] = []
    var regionHealth: [RegionID: HealthStatus] = [:]
    var regionActive: Set<RegionID> = []
    var regionServices: [RegionID: Int] = [:]
    var services: [ServiceStatusEntry] = []
    for service in snapshot.services {
      let primary = service.regions.first?.region
      var entries: [ServiceRegionStatus] = []
      for region in service.regions {
        let id = region.region
        if regionHealth[id] == nil { regionOrder.append(id) }
        regionHealth[id] =
          regionHealth[id].map { StatusRules.worse($0, region.health.status) }
          ?? region.health.status
        regionServices[id, default: 0] += 1
        let receives = service.routing.receives(id)
        if receives { regionActive.insert(id) }
        entries.append(
          ServiceRegionStatus(
            region: id.rawValue, health: region.health.status, since: region.health.since,
            receivesTraffic: receives, primary: id == primary))
      }
      services.append(
        ServiceStatusEntry(
          id: service.id.rawValue, status: StatusRules.serviceStatus(service),
          routingMode: service.routingMode.rawValue, primaryRegion: primary?.rawValue,
          activeRegions: service.routing.receivingRegions.map(\.rawValue),
          failoverInProgress: service.workflow != nil, regions: entries))
    }
    let regions = regionOrder.map { id in
      RegionStatusEntry(
        id: id.rawValue, health: regionHealth[id] ?? .unknown, active: regionActive.contains(id),
        services: regionServices[id] ?? 0)
    }
    let overrides = snapshot.overrides.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
      .map(OverrideStatusEntry.init)
    return StatusDocument(
      indicator: indicator, description: indicator.description, updatedAt: updatedAt, services: services,
      regions: regions, activeRegions: regionActive.map(\.rawValue).sorted(), overrides: overrides,
      lastFailover: lastFailover)
  }

  /// Statuspage components: each service (a group) followed by one component per region it runs in.
  private mutating func components(_ snapshot: EngineSnapshot, now: Date, firstSeen: [String: Date])
    -> [StatuspageComponent]
  {
    var result: [StatuspageComponent] = []
    for service in snapshot.services {
      let groupKey = Self.groupKey(service.id)
      let groupID = Self.stableID(groupKey)
      let regionKeys = service.regions.map { Self.regionKey(service.id, $0.region) }
      let regionIDs = regionKeys.map(Self.stableID)
      let primary = service.regions.first?.region.rawValue ?? "none"
      let receiving = service.routing.receivingRegions.map(\.rawValue)
      let traffic = receiving.isEmpty ? "no region" : receiving.joined(separator: ", ")
      result.append(
        component(
          id: groupID, name: service.id.rawValue, status: StatusRules.serviceStatus(service),
          description: "Traffic to \(traffic); primary \(primary).", groupID: nil, members: regionIDs,
          now: now, firstSeen: firstSeen[groupKey]))
      for ((region, id), key) in zip(zip(service.regions, regionIDs), regionKeys) {
        let role = service.routing.receives(region.region) ? "receives traffic" : "standby"
        result.append(
          component(
            id: id, name: "\(service.id) (\(region.region))",
            status: StatusRules.regionStatus(region.health.status),
            description: "\(region.health.status.rawValue); \(role).", groupID: groupID, members: nil,
            now: now, firstSeen: firstSeen[key]))
      }
    }
    for index in result.indices { result[index].position = index + 1 }
    let live = Set(result.map(\.id))
    components = components.filter { live.contains($0.key) }
    return result
  }

  private mutating func component(
    id: String, name: String, status: ComponentStatus, description: String, groupID: String?,
    members: [String]?, now: Date, firstSeen: Date?
  ) -> StatuspageComponent {
    var memory = components[id] ?? ComponentMemory(status: status, createdAt: now, updatedAt: now)
    if let firstSeen { memory.createdAt = firstSeen }
    if memory.status != status {
      memory.status = status
      memory.updatedAt = now
    }
    components[id] = memory
    return StatuspageComponent(
      id: id, name: name, status: status, createdAt: memory.createdAt, updatedAt: memory.updatedAt,
      position: 0,
      description: description, showcase: true, startDate: nil, groupID: groupID, pageID: pageID,
      group: members != nil, onlyShowIfDegraded: false, components: members)
  }

  /// A 12-character id that depends only on `key` (Statuspage ids are 12 lowercase alphanumerics).
  static func stableID(_ key: String) -> String {
    String(ETag.of(Array(key.utf8)).prefix(12))
  }
}
