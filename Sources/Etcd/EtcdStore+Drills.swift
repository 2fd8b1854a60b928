import FailoverCore
import Foundation

extension EtcdStore: DrillStore {
  /// Inserts or replaces a drill (keeping its place in creation order) and appends its events, in one transaction.
  public func saveDrill(_ drill: Drill, events: [Event]) async throws {
    let put = EtcdOp.put(key("drills", drill.id), try Self.encode(drill))
    _ = try await write("save drill \(drill.id)") { .write(EtcdWritePlan(ops: [put], events: events), ()) }
  }

  /// Every drill, oldest first.
  public func drills() async throws -> [Drill] {
    try await read("list drills") {
      try await client.rangeSorted(prefix("drills"), sortTarget: .create).kvs.map {
        try Self.decode(Drill.self, $0)
      }
    }
  }

  /// One drill by id; nil when there is none.
  public func drill(id: String) async throws -> Drill? {
    try await read("read drill \(id)") {
      try await client.get(key("drills", id)).map { try Self.decode(Drill.self, $0) }
    }
  }

  /// Inserts or replaces a run (keeping its place) and appends its events, in one transaction.
  public func saveRun(_ run: DrillRun, events: [Event]) async throws {
    let put = EtcdOp.put(key("drill-runs", run.id), try Self.encode(run))
    _ = try await write("save drill run \(run.id)") { .write(EtcdWritePlan(ops: [put], events: events), ()) }
  }

  /// Runs of one drill (or all), newest first, at most `limit` (1...500).
  public func drillRuns(drillID: String?, limit: Int) async throws -> [DrillRun] {
    let limit = min(max(limit, 1), 500)
    return try await read("list drill runs") {
      let runs = try await client.rangeSorted(prefix("drill-runs"), sortTarget: .create, descending: true).kvs
        .map { try Self.decode(DrillRun.self, $0) }
      return Array(runs.filter { drillID == nil || $0.drillID == drillID }.prefix(limit))
    }
  }

  /// One run by id; nil when there is none.
  public func drillRun(id: String) async throws -> DrillRun? {
    try await read("read drill run \(id)") {
      try await client.get(key("drill-runs", id)).map { try Self.decode(DrillRun.self, $0) }
    }
  }

  /// Runs still running, oldest first.
  public func runningDrillRuns() async throws -> [DrillRun] {
    try await read("list running drill runs") {
      try await client.rangeSorted(prefix("drill-runs"), sortTarget: .create).kvs
        .map { try Self.decode(DrillRun.self, $0) }.filter { $0.state == .running }
    }
  }
}
