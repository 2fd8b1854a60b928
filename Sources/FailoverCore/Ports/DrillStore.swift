/// Durable drills and their runs (each run is its report).
public protocol DrillStore: Sendable {
  /// Inserts or replaces a drill (by id) and appends its events in the same transaction.
  func saveDrill(_ drill: Drill, events: [Event]) async throws
  /// Every drill, oldest first.
  func drills() async throws -> [Drill]
  /// One drill by id; nil when there is none.
  func drill(id: String) async throws -> Drill?
  /// Inserts or replaces a run (by id) and appends its events in the same transaction.
  func saveRun(_ run: DrillRun, events: [Event]) async throws
  /// Runs of one drill (or of all drills when nil), newest first, at most `limit` (clamped to 1...500).
  func drillRuns(drillID: String?, limit: Int) async throws -> [DrillRun]
  /// One run by id; nil when there is none.
  func drillRun(id: String) async throws -> DrillRun?
  /// Runs still running (to resume after a restart), oldest first.
  func runningDrillRuns() async throws -> [DrillRun]
}
