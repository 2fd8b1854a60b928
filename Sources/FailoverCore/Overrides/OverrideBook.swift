import Foundation

/// The set of overrides and the rules for changing it: validation on creation, clearing early, and expiry
/// enforcement, each producing the audit event to record. Pure: the caller persists the result.
public struct OverrideBook: Sendable, Hashable {
  /// Every override, active or not.
  public private(set) var overrides: [Override]
  public init(_ overrides: [Override] = []) { self.overrides = overrides }

  /// The overrides in force at `now`.
  public func active(at now: Date) -> [Override] { overrides.filter { $0.isActive(at: now) } }

  /// The overrides in force at `now` that cover a service, newest first.
  public func applicable(to service: Service, at now: Date) -> [Override] {
    active(at: now).filter { $0.scope.covers(service: service.id, regions: service.regionIDs) }
      .sorted { $0.createdAt > $1.createdAt }
  }

  /// Validates a request against the configuration and policy, and adds the override.
  public mutating func create(
    _ request: OverrideRequest, id: String, at now: Date, services: [Service], regions: [RegionID],
    policy: Policy
  ) throws(OverrideError) -> (Override, Event) {
    let override = try OverrideBook.validate(
      request, id: id, at: now, services: services, regions: regions, policy: policy)
    guard !overrides.contains(where: { $0.id == id }) else {
      throw OverrideError("An override with id \(id) already exists.")
    }
    overrides.append(override)
    let event = Event(
      kind: .overrideCreated, scope: EventScope(override.scope), actor: override.actor, at: now,
      message: "\(override.actor) created \(override.summary), until \(Event.timestamp(override.expiresAt)).",
      details: OverrideBook.details(override))
    return (override, event)
  }

  /// Clears an active override early.
  public mutating func clear(id: String, by actor: String, at now: Date) throws(OverrideError) -> (
    Override, Event
  ) {
    guard let index = overrides.firstIndex(where: { $0.id == id }) else {
      throw OverrideError("There is no override with id \(id).")
    }
    guard overrides[index].isActive(at: now) else {
      throw OverrideError("Override \(id) is no longer active (expired or already cleared).")
    }
    guard !actor.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw OverrideError("Clearing an override needs the name of who clears it.")
    }
    overrides[index].clearedAt = now
    overrides[index].clearedBy = actor
    let override = overrides[index]
    let event = Event(
      kind: .overrideCleared, scope: EventScope(override.scope), actor: actor, at: now,
      message: "\(actor) cleared \(override.summary) before its expiry.",
      details: OverrideBook.details(override))
    return (override, event)
  }

  /// Marks every override whose expiry has passed as expired, once, returning the changed overrides and one
  /// event each. Called by the engine on every tick.
  public mutating func expire(at now: Date) -> [(Override, Event)] {
    var result: [(Override, Event)] = []
    for index in overrides.indices {
      let override = overrides[index]
      guard override.clearedAt == nil, override.expiryRecordedAt == nil, override.expiresAt <= now else {
        continue
      }
      overrides[index].expiryRecordedAt = now
      let event = Event(
        kind: .overrideExpired, scope: EventScope(override.scope), at: now,
        message: "\(override.summary) expired at \(Event.timestamp(override.expiresAt)).",
        details: OverrideBook.details(override))
      result.append((overrides[index], event))
    }
    return result
  }

  /// Checks a request: reason, actor, expiry within the policy, and references to known services and regions.
  public static func validate(
    _ request: OverrideRequest, id: String, at now: Date, services: [Service], regions: [RegionID],
    policy: Policy
  ) throws(OverrideError) -> Override {
    guard !request.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      throw OverrideError("An override needs a reason: say why, for the people who will see it.")
    }
    guard !request.actor.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      throw OverrideError("An override needs an actor: the name of who creates it.")
    }
    let duration = request.duration ?? policy.defaultOverrideDuration
    guard duration > 0 else { throw OverrideError("An override's duration must be positive.") }
    guard duration <= policy.maximumOverrideDuration else {
      throw OverrideError(
        "An override lasts at most \(hours(policy.maximumOverrideDuration)) h; \(hours(duration)) h was asked."
      )
    }
    switch request.scope {
    case .global: break
    case .region(let region):
      guard regions.contains(region) else { throw OverrideError("Region \(region) is not configured.") }
    case .service(let service):
      guard services.contains(where: { $0.id == service }) else {
        throw OverrideError("Service \(service) is not configured.")
      }
    }
    if let target = request.targetRegion, !regions.contains(target) {
      throw OverrideError("Region \(target) is not configured.")
    }
    if request.allowUnhealthyTarget && request.kind != .force {
      throw OverrideError("allow_unhealthy_target only applies to force overrides.")
    }
    switch request.kind {
    case .force:
      guard case .service(let serviceID) = request.scope else {
        throw OverrideError("A force override routes one service: give it a service scope.")
      }
      guard let target = request.targetRegion else {
        throw OverrideError("A force override needs the region to route \(serviceID) to.")
      }
      if let service = services.first(where: { $0.id == serviceID }), service.region(target) == nil {
        throw OverrideError("\(serviceID) does not run in \(target).")
      }
    case .drain:
      var drained = request.targetRegion
      if case .region(let region) = request.scope {
        if let target = drained, target != region {
          throw OverrideError("A drain scoped to region \(region) drains that region; leave the target out.")
        }
        drained = region
      }
      guard let drained else {
        throw OverrideError("A drain needs the region to move traffic away from.")
      }
      if case .service(let serviceID) = request.scope,
        let service = services.first(where: { $0.id == serviceID }), service.region(drained) == nil
      {
        throw OverrideError("\(serviceID) does not run in \(drained).")
      }
    case .freeze, .block:
      if request.targetRegion != nil {
        throw OverrideError("A \(request.kind.rawValue) override takes no target region.")
      }
    }
    return Override(
      id: id, scope: request.scope, kind: request.kind, targetRegion: request.targetRegion,
      allowUnhealthyTarget: request.allowUnhealthyTarget, actor: request.actor, reason: request.reason,
      createdAt: now, expiresAt: now.addingTimeInterval(duration))
  }

  private static func hours(_ seconds: Double) -> String {
    let value = seconds / 3600
    return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
  }

  private static func details(_ override: Override) -> [String: JSONValue] {
    var details: [String: JSONValue] = [
      "override": .string(override.id), "kind": .string(override.kind.rawValue),
      "scope": .string(override.scope.description), "reason": .string(override.reason),
      "expires_at": .string(Event.timestamp(override.expiresAt)),
    ]
    if let target = override.targetRegion { details["target_region"] = .string(target.rawValue) }
    if override.allowUnhealthyTarget { details["allow_unhealthy_target"] = .bool(true) }
    return details
  }
}
