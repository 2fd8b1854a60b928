import Configuration
import FailoverCore
import Foundation

/// What the engine knows between two ticks, as values: the configuration, each service's health model and latest
/// composite health, where its traffic goes, the last hour's transitions, the overrides and the last decisions.
///
/// The tick loop (`Engine`) changes it; the read model (`EngineReadModel`) only reads it.
struct EngineState: Sendable {
  /// The configuration in force (the latest reload).
  private(set) var config: SwitchboardConfig {
    didSet { serviceIndex = Self.index(config) }
  }
  /// Where each service is in `config.services` (reads of one service need not scan them all).
  private(set) var serviceIndex: [ServiceID: Int]
  /// One health model per service (its signals' trackers with hysteresis).
  private(set) var models: [ServiceID: HealthModel] = [:]
  /// Which services count each signal.
  private(set) var signalOwners: [SignalKey: [ServiceID]] = [:]
  /// The last few observations per signal, replayed to rebuild a changed service's model after a reload.
  private(set) var recentObservations: [SignalKey: RecentSamples] = [:]
  /// Composite health per service and region as of the last evaluation.
  private(set) var latestHealth: [ServiceID: [RegionID: Health]] = [:]
  /// Every live node's view behind `latestHealth`, per service and region, in a cluster (empty on a single node).
  private(set) var latestViews: [ServiceID: [RegionID: QuorumHealth]] = [:]
  /// Which blocks were already recorded in the current episode.
  var episodes = EpisodeTracker()
  /// The overrides, active and expired.
  var book = OverrideBook()
  /// Where each service's traffic goes.
  var routing: [ServiceID: RoutingState] = [:]
  /// Transitions of the last hour (dwell time and rate limits).
  var history: [Transition] = []
  /// The latest decision per service.
  var lastDecision: [ServiceID: Decision] = [:]

  init(config: SwitchboardConfig) {
    self.config = config
    serviceIndex = Self.index(config)
    for service in config.services {
      models[service.id] = Self.model(for: service, regions: config.regions)
    }
    signalOwners = Self.owners(config)
  }

  // MARK: Reading

  /// A configured service by id.
  func service(_ id: ServiceID) -> Service? { serviceIndex[id].map { config.services[$0] } }

  /// Where a service's traffic goes, or where it went before anything was recorded.
  func routing(of service: Service) -> RoutingState { routing[service.id] ?? .initial(for: service) }

  /// The composite health of a service in a region as of the last evaluation.
  func health(service: ServiceID, region: RegionID) -> Health {
    latestHealth[service]?[region] ?? .unknown("No tick has evaluated \(service) in \(region) yet.")
  }

  /// What the decider needs about one service.
  func decisionInput(_ service: Service, health: [RegionID: Health], at now: Date) -> DecisionInput {
    DecisionInput(
      service: service, routing: routing(of: service), health: health, overrides: book.overrides,
      policy: config.policy, history: history, now: now)
  }

  // MARK: Changing

  /// Counts one observation for every service that owns its signal, and remembers it for reloads.
  mutating func record(_ observation: Observation, memory: Int) {
    guard let owners = signalOwners[observation.signal] else { return }
    for owner in owners { models[owner]?.record(observation) }
    // Changed in place (taking the ring out and putting it back would copy it for every observation).
    recentObservations[observation.signal, default: RecentSamples(capacity: memory)].append(observation)
  }

  /// Evaluates a service's health now; returns it with the regions whose status changed. In a cluster (`peers`),
  /// publishes this node's own verdicts and judges each region by the live nodes' views (`QuorumHealth`).
  mutating func refreshHealth(_ service: Service, at now: Date, peers: (any PeerHealthViews)? = nil) -> (
    health: [RegionID: Health], changes: [EngineChange]
  ) {
    guard var model = models[service.id] else { return ([:], []) }
    var health = model.health(service: service.id, at: now)
    models[service.id] = model
    let previous = latestHealth[service.id] ?? [:]
    if let peers {
      peers.publish(service: service.id, health, at: now)
      let views = QuorumHealth.judge(
        service.id, own: health, peers: peers, required: config.cluster.healthQuorum.required(liveNodes:),
        at: now, previous: latestViews[service.id] ?? [:])
      latestViews[service.id] = views
      health = views.mapValues(\.health)
      for (region, verdict) in health {
        // A combined status keeps its start while unchanged, as a single node's composite does.
        let kept = previous[region]?.status == verdict.status ? previous[region]?.since : nil
        health[region]?.since = kept ?? (verdict.status == .unhealthy ? verdict.since : nil) ?? now
      }
    }
    var changes: [EngineChange] = []
    for region in service.regionIDs where previous[region]?.status != health[region]?.status {
      if let status = health[region]?.status {
        changes.append(.health(service: service.id, region: region, status: status))
      }
    }
    latestHealth[service.id] = health
    return (health, changes)
  }

  /// Forgets transitions older than an hour.
  mutating func forgetTransitions(before cutoff: Date) { history.removeAll { $0.at < cutoff } }

  /// A workflow moved a service's traffic.
  mutating func moved(_ plan: FailoverPlan, at now: Date) {
    routing[plan.service] = plan.to
    history.append(
      Transition(service: plan.service, from: plan.from, to: plan.to, trigger: plan.trigger, at: now))
  }

  /// Switches to a new configuration: unchanged services keep their model; a changed service's model is rebuilt
  /// from its signals' recent observations; services without routing take `storedRouting`'s (or the initial one).
  mutating func reload(_ newConfig: SwitchboardConfig, storedRouting: [ServiceID: RoutingState]) {
    let oldServices = Dictionary(config.services.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    let oldRegions = Dictionary(config.regions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    let newRegions = Dictionary(
      newConfig.regions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    var newModels: [ServiceID: HealthModel] = [:]
    for service in newConfig.services {
      let regionsSame = service.regionIDs.allSatisfy { oldRegions[$0] == newRegions[$0] }
      if oldServices[service.id] == service, regionsSame, let model = models[service.id] {
        newModels[service.id] = model
        continue
      }
      var model = Self.model(for: service, regions: newConfig.regions)
      for key in model.trackers.keys.sorted() {
        for observation in recentObservations[key]?.observations(of: key) ?? [] { model.record(observation) }
      }
      newModels[service.id] = model
      latestHealth[service.id] = nil
    }
    for service in newConfig.services where routing[service.id] == nil {
      routing[service.id] = storedRouting[service.id] ?? .initial(for: service)
    }
    config = newConfig
    models = newModels
    signalOwners = Self.owners(newConfig)
    recentObservations = recentObservations.filter { signalOwners[$0.key] != nil }
    let kept = Set(newConfig.services.map(\.id))
    routing = routing.filter { kept.contains($0.key) }
    latestHealth = latestHealth.filter { kept.contains($0.key) }
    latestViews = latestViews.filter { kept.contains($0.key) }
    lastDecision = lastDecision.filter { kept.contains($0.key) }
  }

  // MARK: From the configuration

  static func index(_ config: SwitchboardConfig) -> [ServiceID: Int] {
    Dictionary(config.services.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// A health model counting one service's signals and its regions' signals.
  static func model(for service: Service, regions: [Region]) -> HealthModel {
    HealthModel(services: [service], regions: regions.filter { service.regionIDs.contains($0.id) })
  }

  /// Which services count each signal.
  static func owners(_ config: SwitchboardConfig) -> [SignalKey: [ServiceID]] {
    var owners: [SignalKey: [ServiceID]] = [:]
    for service in config.services {
      for region in service.regionIDs {
        let model = HealthModel(services: [service], regions: config.regions.filter { $0.id == region })
        for key in model.signalKeys(service: service.id, region: region) {
          owners[key, default: []].append(service.id)
        }
      }
    }
    return owners
  }

  /// The HTTP(S) probes a configuration's signals ask for.
  static func probeTargets(_ config: SwitchboardConfig) -> [ProbeTarget] {
    HealthModel.allSignals(services: config.services, regions: config.regions).compactMap { key, spec in
      if case .httpProbe(let probe) = spec { return ProbeTarget(key: key, spec: probe) }
      return nil
    }
  }
}
