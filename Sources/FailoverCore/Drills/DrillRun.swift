import Foundation

/// One run of a drill and its report: the plan, every step with its time, the checks seen, the measured (or, for a
/// dry run, predicted) times, whether the objective was met, and the outcome with its reason.
public struct DrillRun: Sendable, Hashable, Codable, Identifiable {
  /// Stable id.
  public var id: String
  /// The drill it belongs to.
  public var drillID: String
  /// Dry-run or live.
  public var mode: DrillMode
  /// The occurrence it runs for (the scheduled start).
  public var scheduledAt: Date
  /// When it began (or was skipped).
  public var startedAt: Date
  /// When it ended; nil while running.
  public var endedAt: Date?
  /// running, then succeeded, failed, aborted, cancelled or skipped.
  public var state: DrillState
  /// Why it is in its state.
  public var reason: String
  /// Where a live run is.
  public var phase: DrillPhase
  /// The moves it makes (the plan), each with its workflows.
  public var moves: [DrillMove]
  /// When the hold ends (live runs, once traffic has moved).
  public var holdEndsAt: Date?
  /// The recovery-time objective in seconds.
  public var objectiveSeconds: Double
  /// Whether the measured (dry run: predicted) recovery time met the objective; nil when nothing was measured.
  public var objectiveMet: Bool?
  /// Every check seen, in order.
  public var checks: [DrillCheck]
  /// Every step, in order.
  public var timeline: [DrillTimelineEntry]
  /// The check that aborted the run, when one did.
  public var abortedBy: DrillCheck?
  /// Runbook steps marked `in_drills: skip` that the run left out (filled by the runbook workflow steps).
  public var stepsSkippedInDrills: [String]
  /// The state the run ends in once the failback is done (aborted or failed when it ends early).
  public var closingState: DrillState?
  /// Why it ends in `closingState`.
  public var closingReason: String?

  /// A run that begins at `now` for the occurrence `scheduledAt`.
  public init(id: String, drill: Drill, scheduledAt: Date, at now: Date) {
    self.id = id
    drillID = drill.id
    mode = drill.mode
    self.scheduledAt = scheduledAt
    startedAt = now
    state = .running
    reason = "Started."
    phase = .failingOver
    moves = []
    objectiveSeconds = drill.objectiveSeconds
    checks = []
    timeline = []
    stepsSkippedInDrills = []
  }

  /// Adds a timeline entry.
  public mutating func note(_ step: String, _ detail: String, at now: Date) {
    timeline.append(DrillTimelineEntry(at: now, step: step, detail: detail))
  }

  /// Ends the run in `state` with `reason`.
  public mutating func end(_ state: DrillState, _ reason: String, at now: Date) {
    self.state = state
    self.reason = reason
    phase = .done
    endedAt = now
    note("ended", "\(state.rawValue): \(reason)", at: now)
    let recoveries = moves.compactMap { $0.failover?.recoverySeconds ?? $0.predictedRecoverySeconds }
    objectiveMet = recoveries.isEmpty ? nil : recoveries.allSatisfy { $0 <= objectiveSeconds }
  }

  enum CodingKeys: String, CodingKey {
    case id, drillID = "drill_id", mode, scheduledAt = "scheduled_at", startedAt = "started_at"
    case endedAt = "ended_at", state, reason, phase, moves, holdEndsAt = "hold_ends_at"
    case objectiveSeconds = "objective_seconds", objectiveMet = "objective_met", checks, timeline
    case abortedBy = "aborted_by", stepsSkippedInDrills = "steps_skipped_in_drills"
    case closingState = "closing_state", closingReason = "closing_reason"
  }
}

/// One step of a run's timeline.
public struct DrillTimelineEntry: Sendable, Hashable, Codable {
  /// When.
  public var at: Date
  /// Which step: `checks`, `failover_started`, `failover_verified`, `hold_started`, `failback_started`, …
  public var step: String
  /// What happened, in a sentence.
  public var detail: String

  /// An entry.
  public init(at: Date, step: String, detail: String) {
    self.at = at
    self.step = step
    self.detail = detail
  }
}

/// One service's move in a run: from where, to where, through which workflows, with the measured times.
public struct DrillMove: Sendable, Hashable, Codable {
  /// The service.
  public var service: ServiceID
  /// Where its traffic was (and returns to).
  public var fromRegion: RegionID
  /// Where it goes for the hold.
  public var toRegion: RegionID
  /// The failover workflow's id and times, once started.
  public var failover: DrillLeg?
  /// The failback workflow's id and times, once started.
  public var failback: DrillLeg?
  /// A dry run's predicted recovery time (the last measured one of the service, when there is one).
  public var predictedRecoverySeconds: Double?

  /// A planned move.
  public init(service: ServiceID, fromRegion: RegionID, toRegion: RegionID) {
    self.service = service
    self.fromRegion = fromRegion
    self.toRegion = toRegion
  }

  enum CodingKeys: String, CodingKey {
    case service, fromRegion = "from_region", toRegion = "to_region", failover, failback
    case predictedRecoverySeconds = "predicted_recovery_seconds"
  }
}

/// One workflow of a run (the failover or the failback) and what the journal measured.
public struct DrillLeg: Sendable, Hashable, Codable {
  /// The workflow's id.
  public var workflowID: String
  /// When the decision was taken.
  public var decidedAt: Date
  /// When the DNS change was accepted.
  public var dnsChangeAcceptedAt: Date?
  /// When the change was in sync.
  public var inSyncAt: Date?
  /// When the record was read back at the target.
  public var verifiedAt: Date?
  /// When the workflow ended.
  public var finishedAt: Date?
  /// succeeded / failed / nil while running.
  public var outcome: String?

  /// A leg that began with a decision at `decidedAt`.
  public init(workflowID: String, decidedAt: Date) {
    self.workflowID = workflowID
    self.decidedAt = decidedAt
  }

  /// Seconds from the decision to the verified change; nil until verified.
  public var recoverySeconds: Double? { verifiedAt.map { $0.timeIntervalSince(decidedAt) } }

  /// Copies the journal's times, at the event log's precision (whole milliseconds), so they read the same.
  public mutating func measure(_ timings: WorkflowTimings?) {
    guard let timings else { return }
    decidedAt = Self.millisecond(timings.decidedAt)
    dnsChangeAcceptedAt = timings.dnsChangeAcceptedAt.map(Self.millisecond)
    inSyncAt = timings.inSyncAt.map(Self.millisecond)
    verifiedAt = timings.verifiedAt.map(Self.millisecond)
    finishedAt = timings.finishedAt.map(Self.millisecond)
  }

  static func millisecond(_ date: Date) -> Date {
    Date(timeIntervalSince1970: Double(Int64((date.timeIntervalSince1970 * 1000).rounded())) / 1000)
  }

  enum CodingKeys: String, CodingKey {
    case workflowID = "workflow_id", decidedAt = "decided_at", dnsChangeAcceptedAt = "dns_change_accepted_at"
    case inSyncAt = "in_sync_at", verifiedAt = "verified_at", finishedAt = "finished_at", outcome
    case recoverySeconds = "recovery_seconds"
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    workflowID = try c.decode(String.self, forKey: .workflowID)
    decidedAt = try c.decode(Date.self, forKey: .decidedAt)
    dnsChangeAcceptedAt = try c.decodeIfPresent(Date.self, forKey: .dnsChangeAcceptedAt)
    inSyncAt = try c.decodeIfPresent(Date.self, forKey: .inSyncAt)
    verifiedAt = try c.decodeIfPresent(Date.self, forKey: .verifiedAt)
    finishedAt = try c.decodeIfPresent(Date.self, forKey: .finishedAt)
    outcome = try c.decodeIfPresent(String.self, forKey: .outcome)
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(workflowID, forKey: .workflowID)
    try c.encode(decidedAt, forKey: .decidedAt)
    try c.encodeIfPresent(dnsChangeAcceptedAt, forKey: .dnsChangeAcceptedAt)
    try c.encodeIfPresent(inSyncAt, forKey: .inSyncAt)
    try c.encodeIfPresent(verifiedAt, forKey: .verifiedAt)
    try c.encodeIfPresent(finishedAt, forKey: .finishedAt)
    try c.encodeIfPresent(outcome, forKey: .outcome)
    try c.encodeIfPresent(recoverySeconds, forKey: .recoverySeconds)
  }
}
