import FailoverCore
import Foundation
import StatusPages
import Switchboard
import Testing

/// The status documents' exact bytes for recorded engine states: whatever renders them (encoder, writer, cache)
/// must produce what the first implementation (`JSONEncoder`, snake_case, sorted keys) produced.
///
/// The states are engine snapshots recorded from a real engine (`Fixtures/status-golden/*.snapshot.json`); run
/// with `SWITCHBOARD_RECORD_STATUS_GOLDEN=1` to record them and the documents again (only on purpose).
@Suite("Status documents: golden bytes")
struct StatusGoldenTests {
  typealias Harness = EngineTests.Harness

  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/status-golden")
  static var recording: Bool {
    ProcessInfo.processInfo.environment["SWITCHBOARD_RECORD_STATUS_GOLDEN"] == "1"
  }

  /// The recorded states, in the order they are rendered (the renderer remembers when things changed).
  static let states = ["standby-degraded-freeze", "after-failover", "many-services"]

  @Test(
    "Given recorded engine states rendered in turn, then every status document has the recorded bytes and ETag"
  )
  func goldenBytes() async throws {
    if Self.recording { try await Self.record() }
    var renderer = StatusRenderer(
      pageName: "Example \"status\" / \\ ünïcode \u{1}\u{1f}\t\n\u{8}\u{c}\r\u{7f}",
      pageURL: "https://status.example.com/")
    let start = Date(timeIntervalSince1970: 1_800_000_000.125)
    for (index, name) in Self.states.enumerated() {
      let snapshot = try Self.snapshot(name)
      let rendered = renderer.render(
        snapshot, lastFailover: Self.lastFailover(snapshot),
        now: start.addingTimeInterval(Double(index) * 7.5),
        firstSeen: Self.firstSeen(snapshot, start: start))
      for kind in StatusDocumentKind.allCases {
        let file = Self.directory.appendingPathComponent("\(name).\(Self.fileName(kind))")
        let document = rendered.document(kind)
        if Self.recording { try Data(document.bytes).write(to: file) }
        let expected = try Data(contentsOf: file)
        #expect(
          document.bytes == Array(expected),
          "\(name) \(kind.path) differs:\n\(String(decoding: document.bytes, as: UTF8.self))")
        #expect(document.etag == RenderedDocument(Array(expected)).etag)
      }
    }
  }

  static func fileName(_ kind: StatusDocumentKind) -> String {
    switch kind {
    case .status: "status.json"
    case .statuspageStatus: "statuspage-status.json"
    case .statuspageSummary: "statuspage-summary.json"
    }
  }

  static func snapshot(_ name: String) throws -> EngineSnapshot {
    let data = try Data(contentsOf: directory.appendingPathComponent("\(name).snapshot.json"))
    return try JSONDecoder().decode(EngineSnapshot.self, from: data)
  }

  /// The newest finished workflow of any service, as the journal would give it.
  static func lastFailover(_ snapshot: EngineSnapshot) -> LastFailover? {
    let finished = snapshot.services.compactMap(\.lastWorkflow).max { $0.startedAt < $1.startedAt }
    return finished.map {
      LastFailover(
        workflowID: $0.id, plan: $0.plan, succeeded: $0.state == .succeeded, decidedAt: $0.startedAt,
        finishedAt: $0.finishedAt, timings: $0.timings)
    }
  }

  /// Every other component was seen by the store an hour before; the rest are new.
  static func firstSeen(_ snapshot: EngineSnapshot, start: Date) -> [String: Date] {
    var seen: [String: Date] = [:]
    for (index, key) in StatusRenderer.componentKeys(snapshot).enumerated() where index.isMultiple(of: 2) {
      seen[key] = start.addingTimeInterval(-3600 - Double(index))
    }
    return seen
  }

  // MARK: Recording

  /// Runs a real engine through the states and writes their snapshots.
  static func record() async throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let harness = Harness()
    try await harness.warmUp()
    _ = try await harness.engine.createOverride(
      OverrideRequest(
        scope: .global, kind: .freeze, actor: "bob",
        reason: "game day: \"quoted\" / slash \\ ünïcode \u{1} tab\t",
        duration: 3600))
    for _ in 0..<3 { await harness.round(primary: .healthy, secondary: .degraded) }
    try write(await harness.engine.snapshot(), "standby-degraded-freeze")

    for override in await harness.engine.snapshot().overrides {
      _ = try await harness.engine.clearOverride(id: override.id, by: "bob")
    }
    for _ in 0..<3 { await harness.round(primary: .unhealthy) }
    await harness.engine.waitForWorkflows()
    await harness.round(primary: .unhealthy)
    let afterFailover = await harness.engine.snapshot()
    try write(afterFailover, "after-failover")

    // Many services: the recorded one copied under other names, each in a different state.
    var many = afterFailover
    let template = try #require(afterFailover.services.first)
    let statuses: [HealthStatus] = [.healthy, .degraded, .unhealthy, .unknown]
    many.services = (0..<12).map { index in
      var service = template
      service.id = ServiceID(rawValue: "svc-\(index).example.com")
      for region in service.regions.indices {
        service.regions[region].health.status = statuses[(index + region) % statuses.count]
      }
      let regions = service.regions.map(\.region)
      if index % 3 == 0 { service.routing = .single(service.id, regions[0]) }
      if index % 4 == 2 { service.routing = RoutingState(service: service.id, weights: [:]) }
      if index == 7 {
        service.routingMode = .weighted
        service.routing = RoutingState(service: service.id, weights: [regions[0]: 50, regions[1]: 50])
      }
      if index % 5 == 1 {
        service.workflow = template.lastWorkflow.map {
          var w = $0; w.state = .running; return w
        }
      }
      return service
    }
    try write(many, "many-services")
  }

  static func write(_ snapshot: EngineSnapshot, _ name: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    try encoder.encode(snapshot).write(to: directory.appendingPathComponent("\(name).snapshot.json"))
  }
}
