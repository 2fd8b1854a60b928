import Foundation
import Switchboard

/// The page block of Atlassian Statuspage's public v2 documents.
public struct StatuspagePage: Sendable, Hashable, Encodable {
  /// A stable id.
  public var id: String
  /// The page's name.
  public var name: String
  /// Where people read the page.
  public var url: String
  /// Always `Etc/UTC` (every timestamp is UTC).
  public var timeZone: String
  /// When the page's content last changed.
  public var updatedAt: Date
}

/// Statuspage's `status` block: the indicator and its sentence.
public struct StatuspageStatus: Sendable, Hashable, Encodable {
  /// `none`, `minor`, `major` or `critical`.
  public var indicator: StatusIndicator
  /// The indicator in words.
  public var description: String
}

/// `GET /api/v2/status.json`.
public struct StatuspageStatusDocument: Sendable, Hashable, Encodable {
  /// The page.
  public var page: StatuspagePage
  /// The verdict.
  public var status: StatuspageStatus
}

/// One Statuspage component: a service (a group) or a service in one region (in the service's group).
public struct StatuspageComponent: Sendable, Hashable, Encodable {
  /// A stable id derived from what the component stands for.
  public var id: String
  /// `api.example.com`, or `api.example.com (us-east-1)` for a region.
  public var name: String
  /// Its state.
  public var status: ComponentStatus
  /// When Switchboard first showed it (this process's start, or the service's addition).
  public var createdAt: Date
  /// When its status last changed.
  public var updatedAt: Date
  /// 1-based order on the page.
  public var position: Int
  /// A sentence about it.
  @Nullable public var description: String?
  /// Whether it is shown on the page (always true).
  public var showcase: Bool
  /// Statuspage's start date (never set: null).
  @Nullable public var startDate: String?
  /// The group (service) a region component belongs to; null for a service.
  @Nullable public var groupID: String?
  /// The page's id.
  public var pageID: String
  /// True for a service, which groups its regions.
  public var group: Bool
  /// Always false.
  public var onlyShowIfDegraded: Bool
  /// A group's member component ids (absent on region components, as on Statuspage).
  public var components: [String]?

  enum CodingKeys: String, CodingKey {
    case id, name, status, createdAt, updatedAt, position, description, showcase, startDate
    case groupID = "groupId"
    case pageID = "pageId"
    case group, onlyShowIfDegraded, components
  }
}

/// `GET /api/v2/summary.json`: page, components, incidents (none: Switchboard has no incidents), scheduled
/// maintenances (failover drills), and the verdict.
public struct StatuspageSummaryDocument: Sendable, Hashable, Encodable {
  /// The page.
  public var page: StatuspagePage
  /// Services (groups) each followed by its regions.
  public var components: [StatuspageComponent]
  /// Always empty.
  public var incidents: [Never?] = []
  /// Drills scheduled (within two weeks) or running (`DrillMaintenance`).
  public var scheduledMaintenances: [StatuspageScheduledMaintenance] = []
  /// The verdict.
  public var status: StatuspageStatus
}
