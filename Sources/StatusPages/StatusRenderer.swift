import FailoverCore
import Foundation
import Switchboard

/// Turns engine snapshots into the three status documents, remembering when each part last changed so that
/// equal states render to equal bytes (and equal ETags).
///
/// `updated_at` (and the page's `updated_at`) is the time of the first render whose content differed from the
/// previous one; a component's `updated_at` is when its status last changed, its `created_at` when the store
/// first saw it (`firstSeen`, kept across restarts), or else when it was first rendered.
///
/// Renders are incremental: each service's parts are encoded once per visible change (`ServiceFragments`) and
/// spliced into the page-level documents, which are encoded from their (small) `Encodable` shells; a render
/// whose content equals the previous one returns the previous documents without encoding or hashing anything.
public struct StatusRenderer: Sendable {
  /// The page's name in the Statuspage documents.
  public let pageName: String
  /// Where the page is read (Statuspage's `page.url`).
  public let pageURL: String
  private let pageID: String
  private var contentUpdatedAt: Date?
  private var fragments: [ServiceID: ServiceFragments] = [:]
  private var writer = StatusFragmentWriter()
  private var last:
    (
      shell: [UInt8], services: [[UInt8]], components: [[UInt8]], maintenances: [DrillMaintenance],
      rendered: RenderedStatus
    )?

  /// A renderer for a page called `pageName`, read at `pageURL`.
  public init(pageName: String = "Switchboard", pageURL: String = "/") {
    self.pageName = pageName
    self.pageURL = pageURL
    pageID = Self.stableID("page:\(pageName)")
  }

  /// The names under which the store keeps each component's first-seen time (see `componentKeys`).
  public static func componentKeys(_ snapshot: EngineSnapshot) -> [String] {
    snapshot.services.flatMap(componentKeys)
  }

  private static func componentKeys(_ service: ServiceSnapshot) -> [String] {
    ["service:\(service.id)"] + service.regions.map { "service-region:\(service.id)/\($0.region)" }
  }

  /// Renders the documents for `snapshot` at `now`; `firstSeen` (by `componentKeys` name) gives components'
  /// `created_at`.
  public mutating func render(
    _ snapshot: EngineSnapshot, lastFailover: LastFailover?, now: Date, firstSeen: [String: Date] = [:],
    maintenances: [DrillMaintenance] = []
  ) -> RenderedStatus {
    var services: [[UInt8]] = []
    var components: [[UInt8]] = []
    var current: [ServiceID: ServiceFragments] = [:]
    var position = 1
    for service in snapshot.services {
      let entry = ServiceFragments.entry(service)
      let previous = fragments[service.id]
      let sameRegions = previous?.entry.regions.map(\.region) == entry.regions.map(\.region)
      let keys = sameRegions ? previous?.keys ?? [] : Self.componentKeys(service)
      let seen = keys.map { firstSeen[$0] }
      let part: ServiceFragments
      if let previous, previous.entry == entry, previous.position == position, previous.firstSeen == seen {
        part = previous
      } else {
        part = ServiceFragments.make(
          entry, position: position, keys: keys, firstSeen: seen, previous: previous, pageID: pageID,
          now: now,
          writer: &writer)
      }
      current[service.id] = part
      services.append(part.status)
      components.append(part.components)
      position += keys.count
    }
    fragments = current
    var status = Self.statusShell(
      snapshot, entries: current, lastFailover: lastFailover, updatedAt: Date(timeIntervalSince1970: 0))
    let shell = APIJSON.encode(status)
    if let last, last.shell == shell, last.services == services, last.components == components,
      last.maintenances == maintenances, contentUpdatedAt != nil
    {
      return last.rendered
    }
    contentUpdatedAt = now
    status.updatedAt = now
    let page = StatuspagePage(id: pageID, name: pageName, url: pageURL, timeZone: "Etc/UTC", updatedAt: now)
    let verdict = StatuspageStatus(indicator: status.indicator, description: status.description)
    let summary: [UInt8]
    if maintenances.isEmpty {
      summary = Self.splice(
        components,
        into: APIJSON.encode(StatuspageSummaryDocument(page: page, components: [], status: verdict)),
        at: #""components":[]"#)
    } else {
      // While a drill is scheduled or running (rare), the summary is encoded whole: its components under
      // maintenance and the maintenances' own copies of them.
      let values = snapshot.services.flatMap { current[$0.id]?.componentValues(pageID: pageID) ?? [] }
      let (marked, documents) = DrillMaintenance.apply(maintenances, to: values, pageID: pageID)
      summary = APIJSON.encode(
        StatuspageSummaryDocument(
          page: page, components: marked, scheduledMaintenances: documents, status: verdict))
    }
    let rendered = RenderedStatus(
      status: RenderedDocument(Self.splice(services, into: APIJSON.encode(status), at: #""services":[]"#)),
      statuspageStatus: RenderedDocument(
        APIJSON.encode(StatuspageStatusDocument(page: page, status: verdict))),
      statuspageSummary: RenderedDocument(summary))
    last = (shell, services, components, maintenances, rendered)
    return rendered
  }

  /// `/api/v1/status` without its services (spliced in by `render`): indicator, regions, overrides, last failover.
  static func statusShell(
    _ snapshot: EngineSnapshot, entries: [ServiceID: ServiceFragments], lastFailover: LastFailover?,
    updatedAt: Date
  ) -> StatusDocument {
    var indicator = StatusIndicator.none
    var regionOrder: [String] = []
    var regions: [String: RegionStatusEntry] = [:]
    for service in snapshot.services {
      guard let entry = entries[service.id]?.entry else { continue }
      indicator = max(indicator, entry.status.indicator)
      for region in entry.regions {
        if regions[region.region] == nil {
          regionOrder.append(region.region)
          regions[region.region] = RegionStatusEntry(
            id: region.region, health: region.health, active: false, services: 0)
        }
        regions[region.region]!.health = StatusRules.worse(regions[region.region]!.health, region.health)
        regions[region.region]!.services += 1
        if region.receivesTraffic { regions[region.region]!.active = true }
      }
    }
    let overrides = snapshot.overrides.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
      .map(OverrideStatusEntry.init)
    return StatusDocument(
      indicator: indicator, description: indicator.description, updatedAt: updatedAt, services: [],
      regions: regionOrder.compactMap { regions[$0] },
      activeRegions: regionOrder.filter { regions[$0]?.active == true }.sorted(), overrides: overrides,
      lastFailover: lastFailover)
  }

  /// `document` with `fragments` (comma-separated) put into its empty array `member`: the first match, as
  /// members are sorted and the documents' members before these hold no such array.
  static func splice(_ fragments: [[UInt8]], into document: [UInt8], at member: String) -> [UInt8] {
    let marker = Array(member.utf8)
    guard
      let start = (0...(document.count - marker.count)).first(where: {
        document[$0..<($0 + marker.count)].elementsEqual(marker)
      })
    else { preconditionFailure("The status document has no \(member) member.") }
    let insertion = start + marker.count - 1
    var result: [UInt8] = []
    result.reserveCapacity(document.count + fragments.reduce(fragments.count) { $0 + $1.count })
    result.append(contentsOf: document[..<insertion])
    for (index, fragment) in fragments.enumerated() {
      if index > 0 { result.append(UInt8(ascii: ",")) }
      result.append(contentsOf: fragment)
    }
    result.append(contentsOf: document[insertion...])
    return result
  }

  /// A 12-character id that depends only on `key` (Statuspage ids are 12 lowercase alphanumerics).
  static func stableID(_ key: String) -> String {
    String(ETag.of(Array(key.utf8)).prefix(12))
  }
}
