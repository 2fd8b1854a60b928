import Foundation

/// The health of every service in every region: one `SignalTracker` per signal, composed per service and region
/// with the service's rule (`all` | `any` | `quorum n`) over its own signals plus its region's signals.
public struct HealthModel: Sendable {
  /// One tracker per configured signal.
  public private(set) var trackers: [SignalKey: SignalTracker] = [:]
  private let services: [ServiceID: Service]
  private let regions: [RegionID: Region]
  private var composites: [String: Health] = [:]

  public init(services: [Service], regions: [Region]) {
    self.services = Dictionary(services.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    self.regions = Dictionary(regions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    for (key, spec) in HealthModel.allSignals(services: services, regions: regions) {
      trackers[key] = SignalTracker(key: key, spec: spec)
    }
  }

  /// Every configured signal with its key, region-wide ones once: what the engine must observe.
  public static func allSignals(services: [Service], regions: [Region]) -> [(
    key: SignalKey, spec: SignalSpec
  )] {
    var result: [(key: SignalKey, spec: SignalSpec)] = []
    for region in regions {
      for spec in region.signals {
        result.append((SignalKey(service: nil, region: region.id, name: spec.name), spec))
      }
    }
    for service in services {
      for placement in service.regions {
        for spec in placement.signals {
          result.append((SignalKey(service: service.id, region: placement.region, name: spec.name), spec))
        }
      }
    }
    return result
  }

  /// The keys of the signals that count for a service in a region: its own, then the region's.
  public func signalKeys(service: ServiceID, region: RegionID) -> [SignalKey] {
    let own = services[service]?.region(region)?.signals.map {
      SignalKey(service: service, region: region, name: $0.name)
    }
    let wide = regions[region]?.signals.map { SignalKey(service: nil, region: region, name: $0.name) }
    return (own ?? []) + (wide ?? [])
  }

  /// Records an observation of a known signal and returns that signal's verdict (nil for an unknown signal).
  @discardableResult
  public mutating func record(_ observation: Observation) -> Health? {
    guard trackers[observation.signal] != nil else { return nil }
    return trackers[observation.signal]!.record(observation)
  }

  /// The composite health of a service in a region now; `since` carries over while the status is unchanged.
  public mutating func health(service: ServiceID, region: RegionID, at now: Date) -> Health {
    let keys = signalKeys(service: service, region: region)
    let rule = services[service]?.healthRule ?? .all
    var health = HealthModel.compose(
      keys.map { ($0, trackers[$0]?.health ?? .unknown("not tracked")) }, rule: rule)
    let slot = "\(service)\u{0}\(region)"
    if let previous = composites[slot], previous.status == health.status {
      health.since = previous.since
    } else if health.since == nil || health.status != .unhealthy {
      health.since = health.status == .unhealthy ? (health.since ?? now) : now
    }
    composites[slot] = health
    return health
  }

  /// The composite health of a service in each of its regions.
  public mutating func health(service: ServiceID, at now: Date) -> [RegionID: Health] {
    var result: [RegionID: Health] = [:]
    for region in services[service]?.regionIDs ?? [] {
      result[region] = health(service: service, region: region, at: now)
    }
    return result
  }

  /// Composes signal verdicts with a rule, naming the signal that decided. Pure.
  public static func compose(_ signals: [(SignalKey, Health)], rule: CompositionRule) -> Health {
    guard !signals.isEmpty else { return .unknown("No signals are configured.") }
    let unhealthy = signals.filter { $0.1.status == .unhealthy }
    let unknown = signals.filter { $0.1.status == .unknown }
    let degraded = signals.filter { $0.1.status == .degraded }
    let healthy = signals.filter { $0.1.status == .healthy }
    func from(_ status: HealthStatus, _ signal: (SignalKey, Health), _ prefix: String) -> Health {
      Health(
        status: status, decidedBy: signal.0, reason: "\(prefix)\(signal.0.name): \(signal.1.reason)",
        since: status == .unhealthy ? signal.1.since : nil)
    }
    switch rule {
    case .all:
      if let first = unhealthy.first { return from(.unhealthy, first, "") }
      if let first = unknown.first { return from(.unknown, first, "") }
      if let first = degraded.first { return from(.degraded, first, "") }
      // One signal is its own sentence: "All 1 signals healthy; e.g." would say it twice.
      return from(
        .healthy, healthy[0], signals.count == 1 ? "" : "All \(signals.count) signals healthy; e.g. ")
    case .any:
      if let first = healthy.first { return from(.healthy, first, "") }
      if let first = degraded.first { return from(.degraded, first, "") }
      if let first = unknown.first { return from(.unknown, first, "") }
      return from(.unhealthy, unhealthy[0], signals.count == 1 ? "" : "No signal healthy; e.g. ")
    case .quorum(let n):
      let needed = max(1, min(n, signals.count))
      let ok = healthy.count + degraded.count
      let counts = "\(ok) of \(signals.count) signals healthy, quorum \(needed)"
      if healthy.count >= needed {
        return from(.healthy, healthy[0], "\(counts); e.g. ")
      }
      if ok >= needed { return from(.degraded, degraded[0], "\(counts); degraded: ") }
      if signals.count - unhealthy.count < needed {
        return from(.unhealthy, unhealthy[0], "\(counts); unhealthy: ")
      }
      return from(.unknown, unknown[0], "\(counts); waiting for ")
    }
  }
}
