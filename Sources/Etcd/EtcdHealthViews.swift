import FailoverCore
import Foundation
import Logging
import Synchronization

/// Quorum health over etcd: publishes this node's own verdicts at `P health/<node-id>` under the node's own lease,
/// and reads the other nodes' documents under `P health/`.
///
/// Writes happen when a status changes (coalesced to one per poll interval) and as a heartbeat every lease TTL / 2,
/// never per observation, so a thousand targets probed every second by three nodes cost about nothing in steady
/// state. Reads are a keys-only range every poll interval; a document is fetched only when its revision moved.
/// A node whose lease expired (dead, paused, cut off from etcd) has no key, so it no longer counts as live; a verdict
/// the node's engine has not evaluated for a lease TTL leaves its document.
public final class EtcdHealthViews: PeerHealthViews {
  /// This node's id: its key is `P health/<nodeID>`.
  public let nodeID: String
  private let client: EtcdClient
  private let directory: String
  private let leaseTTL: Int
  private let pollInterval: Duration
  private let clock: any FailoverCore.Clock
  private let logger = Logger(label: "switchboard.quorum")
  private let state = Mutex(State())
  private let loop = Mutex<Task<Void, Never>?>(nil)

  struct Peer {
    var views: [String: NodeHealthView]
    var modRevision: Int64
    var changedAt: ContinuousClock.Instant
  }

  struct State {
    var own: [String: EtcdHealthDocument.Verdict] = [:]
    var evaluated: [String: ContinuousClock.Instant] = [:]
    var dirty = true
    var lease: Int64?
    var lastPut: ContinuousClock.Instant?
    var lastKeepAlive: ContinuousClock.Instant?
    var peers: [String: Peer] = [:]
    var lastRead: ContinuousClock.Instant?
    var failing = false
    var puts = 0
  }

  /// Views of the nodes under `prefix + "health/"`; `leaseTTL` is `cluster.lease_ttl` in seconds.
  public init(
    client: EtcdClient, prefix: String, nodeID: String, leaseTTL: TimeInterval,
    pollInterval: Duration = .milliseconds(500), clock: any FailoverCore.Clock = SystemClock()
  ) {
    self.client = client
    directory = prefix + "health/"
    self.nodeID = nodeID
    self.leaseTTL = max(2, Int(leaseTTL.rounded()))
    self.pollInterval = pollInterval
    self.clock = clock
  }

  /// How many documents this node has written so far (changes and heartbeats).
  public var writes: Int { state.withLock { $0.puts } }

  // MARK: Lifecycle

  /// Publishes this node's document and reads the others' once, then keeps doing so every poll interval.
  public func start() async {
    await step()
    let task = Task { [weak self, pollInterval] in
      while !Task.isCancelled {
        try? await Task.sleep(for: pollInterval)
        guard let self, !Task.isCancelled else { return }
        await self.step()
      }
    }
    loop.withLock { $0 = task }
  }

  /// Stops publishing and revokes the lease, so the other nodes stop counting this one at once.
  public func stop() async {
    let task = loop.withLock { task in
      defer { task = nil }
      return task
    }
    task?.cancel()
    await task?.value
    if let lease = state.withLock({ $0.lease }) { try? await client.revoke(lease) }
    state.withLock { $0.lease = nil }
  }

  /// One round: keep the lease, write the document when it changed or a heartbeat is due, read the others'.
  public func step() async {
    do {
      try await keepLease()
      try await writeIfDue()
      try await readPeers()
      let recovered = state.withLock { state in
        defer { state.failing = false }
        return state.failing
      }
      if recovered { logger.info("Quorum health: etcd answers again.") }
    } catch {
      let first = state.withLock { state in
        defer { state.failing = true }
        return !state.failing
      }
      if first {
        logger.warning("Quorum health: etcd does not answer (\(error)); peers' views will go stale.")
      }
    }
  }

  private func keepLease() async throws(EtcdError) {
    let now = ContinuousClock.now
    let (lease, lastKeepAlive) = state.withLock { ($0.lease, $0.lastKeepAlive) }
    if let lease {
      guard lastKeepAlive.map({ now - $0 >= .seconds(Double(leaseTTL) / 3) }) ?? true else { return }
      if try await client.keepAlive(lease) > 0 {
        state.withLock { $0.lastKeepAlive = now }
        return
      }
      logger.warning("Quorum health: the lease of \(nodeID)'s views expired; publishing them again.")
    }
    let granted = try await client.grantLease(ttl: leaseTTL)
    state.withLock {
      $0.lease = granted.id
      $0.lastKeepAlive = now
      $0.dirty = true
    }
  }

  private func writeIfDue() async throws(EtcdError) {
    let now = ContinuousClock.now
    let heartbeat = Duration.seconds(Double(leaseTTL) / 2)
    let due: (EtcdHealthDocument, Int64)? = state.withLock { state in
      // A verdict the engine stopped evaluating (a service removed by a reload, or a stuck engine) leaves.
      let forgotten = state.evaluated.filter { now - $0.value > .seconds(leaseTTL) }.keys
      for slot in forgotten {
        state.own[slot] = nil
        state.evaluated[slot] = nil
      }
      guard let lease = state.lease,
        state.dirty || !forgotten.isEmpty || state.lastPut.map({ now - $0 >= heartbeat }) ?? true
      else { return nil }
      state.dirty = false
      let verdicts = state.own.values.sorted { ($0.service, $0.region) < ($1.service, $1.region) }
      return (EtcdHealthDocument(nodeID: nodeID, heartbeatAt: clock.now, verdicts: verdicts), lease)
    }
    guard let (document, lease) = due else { return }
    let data: Data
    do { data = try document.encoded() } catch { throw EtcdError.malformed("\(error)") }
    do {
      try await client.put(directory + nodeID, data, lease: lease)
    } catch {
      state.withLock { $0.dirty = true }
      throw error
    }
    state.withLock {
      $0.lastPut = now
      $0.puts += 1
    }
  }

  private func readPeers() async throws(EtcdError) {
    let keys = try await client.range(directory, prefix: true, keysOnly: true).kvs
    let now = ContinuousClock.now
    let known = state.withLock { $0.peers.mapValues(\.modRevision) }
    var fetched: [String: Peer] = [:]
    var present: Set<String> = []
    for key in keys {
      let node = String(key.key.dropFirst(directory.count))
      guard node != nodeID else { continue }
      present.insert(node)
      guard known[node] != key.modRevision, let value = try await client.get(key.key) else { continue }
      guard let document = try? EtcdHealthDocument.decode(value.value) else {
        logger.warning("Quorum health: \(key.key) does not hold a health document; ignoring it.")
        continue
      }
      var views: [String: NodeHealthView] = [:]
      for verdict in document.verdicts {
        views[Self.slot(verdict.service, verdict.region)] = NodeHealthView(
          node: node, status: verdict.status, since: verdict.since,
          reason: verdict.reason ?? verdict.status.rawValue)
      }
      fetched[node] = Peer(views: views, modRevision: value.modRevision, changedAt: now)
    }
    state.withLock { state in
      state.peers = state.peers.filter { present.contains($0.key) }.merging(fetched) { $1 }
      state.lastRead = now
    }
  }

  // MARK: PeerHealthViews

  public func publish(service: ServiceID, _ health: [RegionID: Health], at now: Date) {
    let instant = ContinuousClock.now
    state.withLock { state in
      for (region, verdict) in health {
        let slot = Self.slot(service.rawValue, region.rawValue)
        state.evaluated[slot] = instant
        guard state.own[slot]?.status != verdict.status else { continue }
        state.own[slot] = EtcdHealthDocument.Verdict(
          service: service.rawValue, region: region.rawValue, status: verdict.status,
          since: verdict.since ?? now, reason: verdict.status == .healthy ? nil : verdict.reason)
        state.dirty = true
      }
    }
  }

  public func views(service: ServiceID, region: RegionID, at now: Date) -> [NodeHealthView] {
    let instant = ContinuousClock.now
    let limit = Duration.seconds(leaseTTL)
    let slot = Self.slot(service.rawValue, region.rawValue)
    return state.withLock { state -> [NodeHealthView] in
      let unread = state.lastRead.map { instant - $0 > limit } ?? true
      return state.peers.keys.sorted().map { node in
        let peer = state.peers[node]!
        if unread {
          return NodeHealthView(
            node: node, status: .unknown,
            reason: "its views could not be read from etcd for over \(leaseTTL) s")
        }
        if instant - peer.changedAt > limit {
          return NodeHealthView(
            node: node, status: .unknown, reason: "its views have not been refreshed for over \(leaseTTL) s")
        }
        return peer.views[slot]
          ?? NodeHealthView(node: node, status: .unknown, reason: "it has published no verdict here yet")
      }
    }
  }

  static func slot(_ service: String, _ region: String) -> String { "\(service)\u{0}\(region)" }
}
