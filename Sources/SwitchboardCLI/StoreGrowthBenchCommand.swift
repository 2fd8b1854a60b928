import ArgumentParser
import Configuration
import FailoverCore
import Foundation
import Store
import Switchboard
import SwitchboardApplication
import Synchronization

/// `switchboard store-growth-bench`: simulates days of operation on a fake clock through the real store calls
/// (workflows with their journaled steps and events, decisions, overrides, idempotency records, reloads, the
/// health history) and prints rows and bytes per table at the end of each simulated day, with or without
/// retention pruning every simulated hour; what scripts/bench-store-growth runs.
struct StoreGrowthBenchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "store-growth-bench", abstract: "Measure how the store grows over simulated days.",
    shouldDisplay: false)

  @Option(help: "The store file to create (must not exist).")
  var path: String

  @Option(help: "Simulated days.")
  var days: Int = 7

  @Option(help: "Services, each in --regions regions with one 1 s HTTP probe per region.")
  var services: Int = 20

  @Option(help: "Regions per service.")
  var regions: Int = 3

  @Option(help: "Failover workflows per service per day (alternating failover and failback).")
  var failoversPerDay: Int = 2

  @Option(help: "Decision events without a workflow (blocked, health-check errors) per service per day.")
  var decisionsPerDay: Int = 24

  @Option(help: "Overrides created (and expired) per day, all services together.")
  var overridesPerDay: Int = 4

  @Option(help: "Keyed (idempotent) API writes per day.")
  var idempotentRequestsPerDay: Int = 100

  @Option(
    help:
      "Health-history ticks recorded per signal in the first simulated hour (default 0: serve keeps the history in memory; 1200 shows the table's bound)."
  )
  var observationTicks: Int = 0

  @Option(
    help:
      "Prune every simulated hour with these retention ages in days (events, workflows, overrides); omit to never prune."
  )
  var retentionDays: Double?

  func validate() throws {
    guard !FileManager.default.fileExists(atPath: path) else {
      throw ValidationError("\(path) exists; give a path to a new file.")
    }
    guard days > 0, services > 0, regions > 1 else {
      throw ValidationError("--days and --services must be at least 1, --regions at least 2.")
    }
  }

  func run() async throws {
    let sink = LoggingSetup.bootstrap(level: .warning)  // each pass's info line would drown the table
    defer { sink.flush() }
    let store = try StoreOpening.openMeasured(path: path, durability: .normal)
    let clock = SimulatedClock(Date(timeIntervalSince1970: 1_800_000_000))
    let retention = retentionDays.map { days in
      StoreRetention(store: store, clock: clock) {
        RetentionSettings(events: days * 86400, workflows: days * 86400, overrides: days * 86400)
      }
    }
    let world = World(services: services, regions: regions)
    print(
      "simulated: \(days) day(s), \(services) services x \(regions) regions probed every 1 s; per service per day "
        + "\(failoversPerDay) failover workflow(s) and \(decisionsPerDay) decision event(s); \(overridesPerDay) "
        + "override(s) and \(idempotentRequestsPerDay) keyed API write(s) per day; 1 reload per day; retention: "
        + (retentionDays.map { "\($0) day(s), pruned hourly" } ?? "none"))
    let started = Date()
    var workflowCount = 0
    for day in 0..<days {
      for hour in 0..<24 {
        let start = clock.now
        if day == 0 && hour == 0 && observationTicks > 0 {
          try await recordHealthHistory(world, store: store, start: start)
        }
        workflowCount += try await simulateHour(
          world, store: store, start: start, hourOfDay: hour, workflowsSoFar: workflowCount)
        clock.advance(3600)
        if let retention { await retention.prune() }
      }
      try await report(day: day + 1, store: store)
    }
    print(String(format: "simulation took %.1f s of wall time", Date().timeIntervalSince(started)))
  }

  /// The services and their per-region signals.
  struct World {
    let services: [Service]

    init(services count: Int, regions: Int) {
      let regionIDs = (0..<regions).map {
        RegionID(["us-east-1", "us-west-2", "eu-west-1", "ap-south-1"][$0 % 4] + ($0 >= 4 ? "-\($0)" : ""))
      }
      services = (0..<count).map { index in
        let id = ServiceID("svc\(index).example.com")
        return Service(
          id: id, dnsName: id.rawValue, hostedZone: "example.com",
          regions: regionIDs.enumerated().map { position, region in
            ServiceRegion(
              region: region, target: "192.0.2.\(10 + position)",
              signals: [.httpProbe(HTTPProbeSpec(url: "https://\(region).\(id)/health", interval: 1))])
          })
      }
    }

    func signal(_ service: Service, _ region: ServiceRegion) -> SignalKey {
      SignalKey(
        service: service.id, region: region.region,
        name: "probe https://\(region.region).\(service.id)/health")
    }
  }

  /// One simulated hour of writes, spread over the hour; returns the workflows run.
  func simulateHour(
    _ world: World, store: any MeasuredStore, start: Date, hourOfDay: Int, workflowsSoFar: Int
  )
    async throws -> Int
  {
    var workflows = 0
    let hourEvents = Self.spread(decisionsPerDay, hourOfDay: hourOfDay)
    for (index, service) in world.services.enumerated() {
      for slot in 0..<hourEvents {
        let at = start.addingTimeInterval(Double(60 * (index % 60) + slot))
        try await store.append([
          Event(
            kind: .decisionBlocked, scope: .service(service.id), at: at,
            message:
              "Block: \(service.regions[0].region) is unhealthy, but the minimum dwell of 10m since the last "
              + "transition has not passed; no automatic action.",
            details: ["rule": "minimum_dwell", "region": .string(service.regions[0].region.rawValue)])
        ])
      }
      let every = max(1, 24 / max(failoversPerDay, 1))
      if failoversPerDay > 0 && hourOfDay % every == index % every {
        let at = start.addingTimeInterval(Double(60 * (index % 60)) + 30)
        try await runWorkflow(
          service, number: workflowsSoFar + workflows, store: store, at: at)
        workflows += 1
      }
    }
    for slot in 0..<Self.spread(overridesPerDay, hourOfDay: hourOfDay) {
      try await saveOverride(number: hourOfDay * 10 + slot, store: store, at: start.addingTimeInterval(120))
    }
    for slot in 0..<Self.spread(idempotentRequestsPerDay, hourOfDay: hourOfDay) {
      let at = start.addingTimeInterval(Double(slot * 30))
      let body = Data(repeating: UInt8(ascii: "x"), count: 1024)
      try await store.saveIdempotent(
        IdempotencyRecord(
          key: UUID().uuidString, actor: "ops-bot", method: "POST", path: "/api/v1/overrides",
          requestHash: String(repeating: "a", count: 64), status: 201,
          headers: ["Content-Type": "application/json", "Location": "/api/v1/overrides/\(UUID())"],
          body: body,
          createdAt: at))
    }
    if hourOfDay == 12 {
      try await store.append([
        Event(
          kind: .configurationReloaded, scope: .global, actor: "signal:SIGHUP",
          at: start.addingTimeInterval(600),
          message: "signal:SIGHUP reloaded config.yaml: \(world.services.count) service(s).",
          details: ["services": .int(world.services.count)])
      ])
    }
    return workflows
  }

  /// How many of `perDay` fall in a given hour (spread evenly over the day).
  static func spread(_ perDay: Int, hourOfDay: Int) -> Int {
    perDay * (hourOfDay + 1) / 24 - perDay * hourOfDay / 24
  }

  /// A workflow as the runner journals it: begin with its decision, each step started and finished with its
  /// event, then finish (which records the transition and routing state).
  func runWorkflow(_ service: Service, number: Int, store: any MeasuredStore, at start: Date) async throws {
    let regions = (service.regions[0].region, service.regions[1].region)
    let (from, to) = number % 2 == 0 ? regions : (regions.1, regions.0)
    let failover = FailoverPlan(
      service: service.id, from: .single(service.id, from), to: .single(service.id, to),
      trigger: number % 2 == 0 ? .automatic : .failback,
      reason: "\(from) failed 3 probes in a row.", firstUnhealthyAt: start.addingTimeInterval(-3))
    let id = UUID().uuidString.lowercased()
    let plan = WorkflowPlan(
      id: id, plan: failover, service: service, steps: WorkflowStep.steps(for: service.routingMode),
      decidedAt: start, explanation: "Initiate: \(from) is unhealthy, \(to) is healthy.")
    let scope = EventScope.service(service.id)
    try await store.begin(
      plan,
      events: [
        Event(
          kind: .decisionInitiated, scope: scope, at: start, message: plan.explanation,
          details: ["workflow_id": .string(id), "from": .string(from.rawValue), "to": .string(to.rawValue)]),
        Event(
          kind: .workflowStarted, scope: scope, at: start,
          message: "Workflow \(id) started: \(from) to \(to).",
          details: ["workflow_id": .string(id)]),
      ])
    var at = start
    for (index, step) in plan.steps.enumerated() {
      for phase in [StepPhase.started, .finished] {
        at = at.addingTimeInterval(phase == .started ? 0.2 : 1.5)
        let entry = StepJournalEntry(
          workflowID: id, index: index, step: step, phase: phase, attempt: 1, at: at,
          message: "\(step.rawValue) \(phase.rawValue)",
          detail: phase == .finished && step == .changeDNS
            ? .dnsChange(
              DNSChangeResult(zoneID: "Z0BENCH", change: SubmittedChange(id: "C\(number)", status: .pending)))
            : .none)
        let kind: EventKind = phase == .started ? .workflowStepStarted : .workflowStepFinished
        try await store.append(
          entry,
          events: [
            Event(
              kind: kind, scope: scope, at: at,
              message: "Workflow \(id): \(step.rawValue) \(phase.rawValue).",
              details: ["workflow_id": .string(id), "step": .string(step.rawValue), "attempt": 1])
          ])
      }
    }
    try await store.finish(
      id, outcome: .succeeded, timings: WorkflowTimings(decidedAt: start, finishedAt: at),
      events: [
        Event(
          kind: .workflowSucceeded, scope: scope, at: at,
          message: "Workflow \(id) succeeded: traffic goes to \(to).",
          details: ["workflow_id": .string(id)])
      ])
  }

  /// An override created, then saved again when it expires an hour later.
  func saveOverride(number: Int, store: any MeasuredStore, at: Date) async throws {
    var override = Override(
      id: UUID().uuidString.lowercased(), scope: .global, kind: .freeze, actor: "alice",
      reason: "maintenance window \(number)", createdAt: at, expiresAt: at.addingTimeInterval(3600))
    try await store.save(
      override,
      event: Event(
        kind: .overrideCreated, scope: .global, actor: "alice", at: at,
        message: "alice froze automatic action for 1h: maintenance window \(number).",
        details: ["override_id": .string(override.id)]))
    override.expiryRecordedAt = override.expiresAt
    try await store.save(
      override,
      event: Event(
        kind: .overrideExpired, scope: .global, at: override.expiresAt,
        message: "The freeze by alice expired.", details: ["override_id": .string(override.id)]))
  }

  /// The health history at 1 s: `observationTicks` ticks of every signal, a minute per transaction.
  func recordHealthHistory(_ world: World, store: any MeasuredStore, start: Date) async throws {
    var tick = 0
    while tick < observationTicks {
      var batch: [Observation] = []
      for second in tick..<min(tick + 60, observationTicks) {
        for service in world.services {
          for region in service.regions {
            batch.append(
              Observation(
                signal: world.signal(service, region), status: .healthy, latency: 0.003,
                reason: "answered HTTP 200 in 3 ms", at: start.addingTimeInterval(Double(second))))
          }
        }
      }
      try await store.recordObservations(batch)
      tick += 60
    }
  }

  /// One line per table and the file's size at the end of a simulated day.
  func report(day: Int, store: any MeasuredStore) async throws {
    let tables = try await store.tableFootprints().filter { $0.rows > 0 || $0.bytes > 4096 }
    let files = store.fileSizes()
    let columns = tables.map { "\($0.table) \($0.rows) rows \(Self.kibibytes($0.bytes))" }
    print(
      "day \(day): file \(Self.kibibytes(files.file)), wal \(Self.kibibytes(files.writeAheadLog)); "
        + columns.joined(separator: "; "))
  }

  static func kibibytes(_ bytes: Int) -> String {
    bytes >= 1_048_576
      ? String(format: "%.1f MiB", Double(bytes) / 1_048_576)
      : String(format: "%.0f KiB", Double(bytes) / 1024)
  }
}

/// The bench's clock: simulated time that only moves when told.
final class SimulatedClock: FailoverCore.Clock, Sendable {
  private let current: Mutex<Date>
  init(_ start: Date) { current = Mutex(start) }
  var now: Date { current.withLock { $0 } }
  func advance(_ seconds: Double) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}
