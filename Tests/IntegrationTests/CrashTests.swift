import AWS
import FailoverCore
import Foundation
import Store
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// SIGKILL a real `switchboard serve` at many points of a running failover workflow, restart it on the same
/// store, and check exactly-once completion: one ChangeResourceRecordSets on the wire (counted by a proxy in
/// front of moto_server, signature checking on), the record at the secondary, one `workflow.succeeded` event,
/// and an intact audit chain (`switchboard audit verify`).
@Suite("switchboard serve killed mid-workflow", .serialized)
struct CrashTests {
  /// When the first kill of a scenario is timed from.
  enum Anchor: String {
    /// The primary's simulated failure: kills before the workflow exists (the restart must decide again).
    case flip
    /// The moment the test sees the workflow begun in the store (polled every 10 ms): kills inside it.
    case workflowBegun = "begun"
  }

  /// One kill per scenario, spread over the workflow (measured: about 1.2 s unloaded, six AWS calls at
  /// 150-300 ms each behind the proxy, more on a loaded machine), plus kills before it begins.
  static let singleKills: [(Anchor, Double)] =
    [(.flip, 0.2), (.flip, 0.5)] + (0..<22).map { (.workflowBegun, Double($0) * 0.07) }
  /// Scenarios that kill again during the resumed workflow: the first delay from the anchor, then one delay
  /// after each restart (the resumed workflow starts as serve starts).
  static let repeatedKills: [(Anchor, [Double])] = [
    (.workflowBegun, [0.2, 0.3, 0.3, 0.3]), (.workflowBegun, [0.5, 0.2, 0.2]),
  ]

  struct Peer {
    var moto: MotoServer
    var proxy: CountingProxy
    var primary: SampleRegionProcess
    var secondary: SampleRegionProcess
  }

  /// What one scenario observed.
  struct Outcome: CustomStringConvertible {
    var anchor: Anchor
    var delays: [Double]
    var killPoints: [String]
    var description: String {
      "from \(anchor.rawValue): "
        + zip(delays, killPoints).map { String(format: "%.2fs→%@", $0.0, $0.1) }.joined(separator: ", then ")
    }
  }

  @Test(
    "Given a failover in progress, when serve is SIGKILLed at many points and restarted, then it completes exactly once"
  )
  func killedAtManyPoints() async throws {
    let moto = MotoServer()
    try await moto.start()
    let proxy = try await CountingProxy(upstreamPort: await moto.port, delayMilliseconds: 150...300)
    let primary = try await SampleRegionProcess(region: "us-east-1")
    let secondary = try await SampleRegionProcess(region: "us-west-2")
    defer {
      proxy.stop()
      primary.stop()
      secondary.stop()
    }
    let peer = Peer(moto: moto, proxy: proxy, primary: primary, secondary: secondary)
    let started = Date()
    var outcomes: [Outcome] = []
    for (anchor, delay) in Self.singleKills {
      outcomes.append(try await scenario(peer, anchor: anchor, killDelays: [delay]))
    }
    for (anchor, delays) in Self.repeatedKills {
      outcomes.append(try await scenario(peer, anchor: anchor, killDelays: delays))
    }
    let points = outcomes.flatMap(\.killPoints)
    let distinct = Set(points)
    let counts = Dictionary(grouping: points, by: { $0 }).mapValues(\.count)
    print(
      "CrashTests: \(points.count) kills in \(outcomes.count) scenarios, \(distinct.count) distinct kill points, "
        + String(format: "%.0f s", Date().timeIntervalSince(started)) + ":\n"
        + counts.keys.sorted().map { "  \($0): \(counts[$0]!)" }.joined(separator: "\n"))
    for outcome in outcomes { print("  scenario: \(outcome)") }
    let midWorkflow = points.filter { !$0.hasPrefix("no workflow") && !$0.hasPrefix("after workflow") }
    #expect(points.count >= 20)
    #expect(midWorkflow.count >= 5, "too few kills landed inside the workflow: \(counts)")
    #expect(distinct.count >= 5, "kills landed at too few points: \(counts)")
  }

  /// One scenario: fresh moto state and store, serve running, primary fails, serve killed after each delay and
  /// restarted, then checked.
  func scenario(_ peer: Peer, anchor: Anchor, killDelays: [Double]) async throws -> Outcome {
    let users = try await peer.moto.fresh()
    let motoURL = await peer.moto.url
    let example = try await ExampleZone.create(motoURL: motoURL, tester: users.tester)
    let tester = example.route53
    let zoneID = example.zoneID
    try await peer.primary.recover()
    try await peer.secondary.recover()
    var config = ServeConfig(
      primaryHealthURL: peer.primary.healthURL, secondaryHealthURL: peer.secondary.healthURL,
      directory: try ChildProcess.temporaryDirectory("crash"))
    config.awsEndpoint = peer.proxy.url.absoluteString
    let path = try config.write()
    let environment = try SwitchboardBinary.isolatedEnvironment([
      "AWS_ACCESS_KEY_ID": users.switchboard.accessKeyID,
      "AWS_SECRET_ACCESS_KEY": users.switchboard.secretAccessKey,
    ])
    let wireBefore = peer.proxy.forwarded.count
    let linesBefore = peer.proxy.lines.count

    var serve = try await ServeProcess(config: path, environment: environment)
    // Let both regions be probed healthy once (probe interval 1 s) before the primary fails.
    try await Task.sleep(nanoseconds: 1_300_000_000)
    try await peer.primary.fail()
    var killPoints: [String] = []
    if anchor == .workflowBegun {
      try await waitForWorkflow(store: config.storagePath, seconds: 60)
    }
    for delay in killDelays {
      try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
      serve.kill()
      let wireAtKill = Array(peer.proxy.lines.dropFirst(linesBefore))
      killPoints.append(try await killPoint(store: config.storagePath, wire: wireAtKill))
      // A request already sent reaches moto even though its client died; let it land before the restart.
      try await peer.proxy.drain()
      serve = try await ServeProcess(config: path, environment: environment)
    }
    let finished = try await waitForSuccess(store: config.storagePath, seconds: 90)
    serve.kill()
    try await peer.proxy.drain()

    let context =
      "kill delays \(killDelays) after \(anchor.rawValue), kill points \(killPoints)\n--- serve log\n\(serve.output)"
    #expect(finished, "the workflow did not succeed within 90 s; \(context)")
    let wire = Array(peer.proxy.forwarded.dropFirst(wireBefore))
    let changes = wire.filter { $0.hasPrefix("POST ") && $0.contains("/hostedzone/\(zoneID)/rrset") }
    #expect(changes.count == 1, "ChangeResourceRecordSets on the wire: \(changes); \(context)")
    #expect(changes.allSatisfy { $0.hasSuffix(" 200") }, "\(changes)")
    let records = try await tester.records(zoneID: zoneID, name: "api.example.com")
    #expect(records.map(\.values) == [["192.0.2.20"]], "records \(records); \(context)")
    let store = try SQLiteStore(path: config.storagePath)
    let events = try await store.events(after: 0, limit: 100_000).map(\.event)
    #expect(events.filter { $0.kind == .workflowSucceeded }.count == 1, "\(events.map(\.kind)); \(context)")
    let failed = events.filter { $0.kind == .workflowFailed }
    let started = events.filter { $0.kind == .workflowStarted }
    #expect(started.count == 1 + failed.count, "\(events.map(\.kind)); \(context)")
    // A workflow resumed before the first probe round retries checkTargetHealth on `unknown` instead of failing.
    #expect(failed.isEmpty, "\(failed.map(\.message)); \(context)")
    let audit = try await SwitchboardBinary.run(
      ["audit", "verify", "--config", path], environment: environment)
    #expect(audit.status == 0, "\(audit)")
    return Outcome(anchor: anchor, delays: killDelays, killPoints: killPoints)
  }

  /// Where serve died: the last journaled step of the latest workflow (read from its store after the kill) and
  /// the AWS call it was waiting on (read from the proxy's log at the kill), e.g.
  /// `changeDNS started | awaiting ChangeResourceRecordSets`.
  func killPoint(store path: String, wire: [String]) async throws -> String {
    let call = Self.wireState(wire)
    guard FileManager.default.fileExists(atPath: path) else { return "before the store existed | \(call)" }
    let store = try SQLiteStore(path: path)
    guard let latest = try await store.workflows(service: "api.example.com", limit: 1).workflows.first else {
      return "no workflow yet | \(call)"
    }
    if latest.state != .running { return "after workflow \(latest.state.rawValue) | \(call)" }
    let entries = try await store.workflow(id: latest.id)?.entries ?? []
    guard let last = entries.last else { return "workflow begun | \(call)" }
    return "\(last.step.rawValue) \(last.phase.rawValue) | \(call)"
  }

  /// The AWS call serve was waiting on at the kill (arrived at the proxy, not yet answered), else the last call
  /// it had an answer to.
  static func wireState(_ lines: [String]) -> String {
    var arrived: [String: String] = [:]
    var last = "none"
    for line in lines {
      let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
      guard parts.count == 3 else { continue }
      if parts[0] == "ARRIVE" {
        arrived[parts[1]] = parts[2]
      } else if parts[0] == "FORWARD", let request = arrived.removeValue(forKey: parts[1]) {
        last = operation(request)
      } else if parts[0] == "ABANDON" {
        arrived[parts[1]] = nil
      }
    }
    if let pending = arrived.values.first { return "awaiting \(operation(pending))" }
    return "idle, last answer \(last)"
  }

  /// The AWS operation of a proxy log request (`METHOD PATH[ Action=…]`).
  static func operation(_ request: String) -> String {
    if let action = request.split(separator: " ").first(where: { $0.hasPrefix("Action=") }) {
      return String(action.dropFirst("Action=".count))
    }
    if request.contains("hostedzonesbyname") { return "ListHostedZonesByName" }
    if request.hasPrefix("POST") && request.contains("/rrset") { return "ChangeResourceRecordSets" }
    if request.contains("/rrset") { return "ListResourceRecordSets" }
    if request.contains("/change/") { return "GetChange" }
    return request
  }

  /// Waits (bounded) until the store holds a workflow for the service (begun, in any state).
  func waitForWorkflow(store path: String, seconds: Double) async throws {
    let store = try SQLiteStore(path: path)
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if let page = try? await store.workflows(service: "api.example.com", limit: 1), !page.workflows.isEmpty
      {
        return
      }
      try await Task.sleep(nanoseconds: 10_000_000)
    }
    throw HarnessError("no workflow began within \(seconds) s of the primary's failure")
  }

  /// Waits (bounded) until the store holds a succeeded workflow and none running.
  func waitForSuccess(store path: String, seconds: Double) async throws -> Bool {
    let store = try SQLiteStore(path: path)
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if let page = try? await store.workflows(service: "api.example.com", limit: 10),
        page.workflows.contains(where: { $0.state == .succeeded }),
        !page.workflows.contains(where: { $0.state == .running })
      {
        return true
      }
      try await Task.sleep(nanoseconds: 200_000_000)
    }
    return false
  }
}
