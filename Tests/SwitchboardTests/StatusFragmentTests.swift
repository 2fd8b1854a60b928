import FailoverCore
import Foundation
import HTTPServer
import Testing

@testable import StatusPages
@testable import Switchboard

/// The per-service parts of the status documents are written by hand (`StatusFragmentWriter`); they must be the
/// bytes `APIJSON.encode` gives the `Encodable` types that define them, member for member.
@Suite("Status documents: fragments")
struct StatusFragmentTests {
  static let odd = "odd \"name\" / \\ ünïcode \u{1}\u{1f}\t\n\u{8}\u{c}\r\u{7f}"

  @Test("Given service entries with and without optional members, then the writer's bytes are JSONEncoder's")
  func serviceEntries() {
    var writer = StatusFragmentWriter()
    let since = Date(timeIntervalSince1970: 1_800_000_123.456)
    let entries = [
      ServiceStatusEntry(
        id: "api.example.com", status: .partialOutage, routingMode: "record", primaryRegion: "us-east-1",
        activeRegions: ["us-east-1", "us-west-2"], failoverInProgress: true,
        regions: [
          ServiceRegionStatus(
            region: "us-east-1", health: .unhealthy, since: since, receivesTraffic: true, primary: true),
          ServiceRegionStatus(
            region: "us-west-2", health: .unknown, since: nil, receivesTraffic: false, primary: false),
        ]),
      ServiceStatusEntry(
        id: Self.odd, status: .operational, routingMode: "weighted", primaryRegion: nil, activeRegions: [],
        failoverInProgress: false, regions: []),
    ]
    for entry in entries {
      #expect(writer.write(entry) == APIJSON.encode(entry))
    }
  }

  @Test("Given a group component and a region component, then the writer's bytes are JSONEncoder's")
  func components() {
    var writer = StatusFragmentWriter()
    let at = Date(timeIntervalSince1970: 1_800_000_000.5)
    let group = StatuspageComponent(
      id: "abcdef123456", name: Self.odd, status: .degradedPerformance, createdAt: at,
      updatedAt: at.addingTimeInterval(60), position: 1,
      description: "Traffic to us-east-1; primary us-east-1.",
      showcase: true, startDate: nil, groupID: nil, pageID: "0123456789ab", group: true,
      onlyShowIfDegraded: false,
      components: ["111111111111", "222222222222"])
    var region = group
    region.components = nil
    region.group = false
    region.groupID = "abcdef123456"
    region.description = nil
    region.position = 2
    for component in [group, region] {
      var json = JSONWriter()
      writer.write(component, to: &json)
      #expect(json.bytes == APIJSON.encode(component))
    }
  }
}
