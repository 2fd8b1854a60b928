import Foundation

/// A drill as asked for (create or update before its start), before it is checked.
public struct DrillDraft: Sendable, Hashable {
  /// A service or a region.
  public var subject: DrillSubject
  /// Where traffic goes.
  public var targetRegion: RegionID
  /// Dry-run or live.
  public var mode: DrillMode
  /// Seconds in the target.
  public var holdSeconds: Double
  /// Recovery-time objective in seconds.
  public var objectiveSeconds: Double
  /// One start or a recurrence.
  public var schedule: DrillSchedule
  /// The drill's own rails.
  public var guardRails: DrillGuardRails

  /// A draft.
  public init(
    subject: DrillSubject, targetRegion: RegionID, mode: DrillMode, holdSeconds: Double,
    objectiveSeconds: Double,
    schedule: DrillSchedule, guardRails: DrillGuardRails = DrillGuardRails()
  ) {
    self.subject = subject
    self.targetRegion = targetRegion
    self.mode = mode
    self.holdSeconds = holdSeconds
    self.objectiveSeconds = objectiveSeconds
    self.schedule = schedule
    self.guardRails = guardRails
  }

  /// Checks the draft against the configured services and regions and the other drills: the subject and target
  /// exist, the target is not where traffic already is, a one-shot start is in the future, the rails are
  /// consistent, and no run would overlap another drill's run on the same services.
  public func validate(
    services: [Service], routing: [ServiceID: RoutingState], others: [Drill], now: Date, id: String
  ) throws(DrillError) -> [Service] {
    _ = try guardRails.validated()
    switch subject {
    case .service(let id):
      guard let service = services.first(where: { $0.id == id }) else {
        throw DrillError("Service \(id) is not configured.", field: "/subject")
      }
      guard service.region(targetRegion) != nil else {
        throw DrillError(
          "\(targetRegion) is not a region of \(id) (\(service.regionIDs.map(\.rawValue).joined(separator: ", "))).",
          field: "/target_region")
      }
      guard service.primary != targetRegion else {
        throw DrillError(
          "\(targetRegion) is \(id)'s primary; a drill moves traffic away from the primary.",
          field: "/target_region")
      }
    case .region(let region):
      let known = Set(services.flatMap(\.regionIDs))
      guard known.contains(region) else {
        throw DrillError("Region \(region) is not configured.", field: "/subject")
      }
      guard known.contains(targetRegion), region != targetRegion else {
        throw DrillError(
          "The target must be another configured region than \(region).", field: "/target_region")
      }
    }
    if case .once(let start) = schedule, start <= now {
      throw DrillError(
        "The start (\(DrillCalendar.local(start, schedule.timeZone))) is not in the future.",
        field: "/start_at")
    }
    guard schedule.next(after: now) != nil else {
      throw DrillError("The schedule has no occurrence in the next eight years.", field: "/cron")
    }
    let moved = subject.services(in: services, routing: routing, to: targetRegion)
    let draft = Drill(
      id: id, subject: subject, targetRegion: targetRegion, mode: mode, holdSeconds: holdSeconds,
      objectiveSeconds: objectiveSeconds, schedule: schedule, createdBy: "", reason: "", createdAt: now)
    let movedIDs = Set(moved.map(\.id))
    for other in others where other.id != id && !other.state.isFinal {
      let theirs = Set(
        other.subject.services(in: services, routing: routing, to: other.targetRegion).map(\.id))
      guard !theirs.isDisjoint(with: movedIDs) || other.subject == subject else { continue }
      if let (mine, existing) = DrillCalendar.overlap(
        draft.upcomingSlots(from: now), other.upcomingSlots(from: now))
      {
        throw DrillError(
          "A run at \(DrillCalendar.local(mine.start, schedule.timeZone)) would overlap drill \(other.id)'s run at "
            + "\(DrillCalendar.local(existing.start, other.schedule.timeZone)) on the same services; pick another time.",
          field: "/schedule")
      }
    }
    return moved
  }
}
