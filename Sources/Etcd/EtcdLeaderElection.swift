import FailoverCore
import Foundation
import Logging
import Synchronization

/// Leader election on etcd: a lease of `cluster.lease_ttl`, renewed every TTL/3; a campaign creates `P leader`
/// (attached to the lease) only when it does not exist; the node leads while it holds that key and its lease has
/// more than the safety margin left on the local monotonic clock. It is the store's fence (`EtcdFence`): every
/// fenced write compares the leader key's create revision with the one this node won it at. A lost lease or a
/// keepalive that fails past the deadline makes the node a follower that campaigns again; `stop` revokes the lease
/// (the key goes at once, so another node takes over without waiting for the TTL). Every node also watches the leader
/// key (`/v3/watch`): when it goes (revoked, or its lease expired), a round starts at once instead of at the next
/// renewal, so a successor campaigns within milliseconds rather than up to TTL/3 later.
public final class EtcdLeaderElection: Leadership, EtcdFence, Sendable {
  /// The node's identity and where its API answers.
  public let nodeID: String
  /// The URL written in the leader and member keys.
  public let apiURL: String
  /// `P leader`.
  public let leaderKey: String
  private let client: EtcdClient
  private let membership: EtcdMembership
  private let monotonic: @Sendable () -> TimeInterval
  private let wallClock: any FailoverCore.Clock
  private let onRoleChange: @Sendable (ClusterRole) -> Void
  private let state: Mutex<ElectionState>
  private let loop = Mutex<Task<Void, Never>?>(nil)
  private let watcher = Mutex<Task<Void, Never>?>(nil)
  /// Set when the leader key went: the loop's pause ends early.
  private let wakeRequested = Mutex(false)
  private let logger = Logger(label: "switchboard.leader")

  struct ElectionState {
    var lease: EtcdLeaderLease
    var leaseID: Int64?
    /// The create revision of the leader key this node won; nil when it does not lead.
    var wonRevision: Int64?
    var leader: LeaderRecord?
    var reachable = true
    var problem: String?
    var startedAt: Date
    var lastRole: ClusterRole = .follower
  }

  /// An election under `prefix` (`config.etcdPrefix`, ending in `/`) for this node; `margin` nil takes
  /// max(1 s, TTL/5); `monotonic` is the local monotonic clock in seconds (tests pass a manual one).
  public init(
    client: EtcdClient, prefix: String, nodeID: String, apiURL: String, leaseTTL: TimeInterval,
    margin: TimeInterval? = nil, wallClock: any FailoverCore.Clock = SystemClock(),
    monotonic: @escaping @Sendable () -> TimeInterval = EtcdLeaderElection.uptime,
    onRoleChange: @escaping @Sendable (ClusterRole) -> Void = { _ in }
  ) {
    self.client = client
    self.nodeID = nodeID
    self.apiURL = apiURL
    leaderKey = prefix + "leader"
    membership = EtcdMembership(client: client, prefix: prefix + "members/")
    self.monotonic = monotonic
    self.wallClock = wallClock
    self.onRoleChange = onRoleChange
    state = Mutex(
      ElectionState(lease: EtcdLeaderLease(ttl: leaseTTL, margin: margin), startedAt: wallClock.now))
  }

  /// The system's monotonic clock (it keeps counting while the process is stopped), in seconds.
  public static let uptime: @Sendable () -> TimeInterval = {
    TimeInterval(DispatchTime.now().uptimeNanoseconds) / 1e9
  }

  // MARK: Running

  /// Starts campaigning and renewing in the background (every TTL/3) until `stop`.
  public func start() {
    let interval = state.withLock { $0.lease.renewalInterval }
    loop.withLock { task in
      guard task == nil else { return }
      task = Task { [weak self] in
        while !Task.isCancelled {
          guard let self else { return }
          await self.round()
          await self.pause(seconds: max(0.05, interval))
        }
      }
    }
    watcher.withLock { task in
      guard task == nil else { return }
      task = Task { [weak self] in await self?.watchLeaderKey() }
    }
  }

  /// Watches the leader key until cancelled: its deletion wakes the loop. A watch that breaks (its member went) is
  /// made again after a second, and wakes the loop too, since a deletion may have gone unseen meanwhile.
  private func watchLeaderKey() async {
    while !Task.isCancelled {
      do {
        try await client.watch(leaderKey) { [weak self] events in
          if events.contains(where: { $0.kind == .delete }) { self?.wakeUp() }
        }
      } catch {
        logger.debug("The watch on the leader key ended: \(error)")
      }
      guard !Task.isCancelled else { return }
      try? await Task.sleep(nanoseconds: 1_000_000_000)
      wakeUp()
    }
  }

  /// Ends the loop's current pause (within 50 ms), so a round starts now.
  func wakeUp() { wakeRequested.withLock { $0 = true } }

  /// Sleeps `seconds`, or less when `wakeUp` is called meanwhile.
  private func pause(seconds: Double) async {
    let end = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
    while !Task.isCancelled {
      if wakeRequested.withLock({ woken in
        defer { woken = false }; return woken
      }) {
        return
      }
      let now = DispatchTime.now().uptimeNanoseconds
      guard now < end else { return }
      try? await Task.sleep(nanoseconds: min(end - now, 50_000_000))
    }
  }

  /// Stops campaigning and revokes the lease: the leader and member keys go with it.
  public func stop() async {
    let task = loop.withLock { task in
      defer { task = nil }
      return task
    }
    let watch = watcher.withLock { task in
      defer { task = nil }
      return task
    }
    task?.cancel()
    watch?.cancel()
    await task?.value
    await watch?.value
    let id = state.withLock { state in
      defer {
        state.leaseID = nil
        state.wonRevision = nil
        state.lease.lost()
      }
      return state.leaseID
    }
    if let id { try? await client.revoke(id) }
    publishRole()
  }

  /// One round: renew (or grant) the lease, campaign for (or re-read) the leader key, refresh the member key.
  public func round() async {
    let sentAt = monotonic()
    do {
      let leaseID = try await renewLease(sentAt: sentAt)
      try await campaign(leaseID: leaseID)
      let record = state.withLock { state in
        EtcdMemberRecord(
          nodeID: nodeID, apiURL: apiURL, role: Self.role(state, now: monotonic()),
          startedAt: state.startedAt,
          heartbeatAt: wallClock.now)
      }
      try await membership.heartbeat(record, lease: leaseID)
      state.withLock {
        $0.reachable = true
        $0.problem = nil
      }
    } catch {
      if case .rejected(_, let message) = error, message.contains("lease not found") {
        state.withLock { Self.forgetLease(&$0) }
      }
      let unavailable = if case .unavailable = error { true } else { false }
      state.withLock {
        $0.reachable = !unavailable
        $0.problem = error.description
      }
      logger.warning("Leader election round failed: \(error)")
    }
    publishRole()
  }

  private func renewLease(sentAt: TimeInterval) async throws(EtcdError) -> Int64 {
    if let id = state.withLock({ $0.leaseID }) {
      let ttl = try await client.keepAlive(id)
      let lost = state.withLock { state in
        state.lease.renewed(sentAt: sentAt, grantedTTL: ttl)
        if ttl <= 0 { Self.forgetLease(&state) }
        return ttl <= 0
      }
      if !lost { return id }
      logger.warning("The lease \(id) expired: this node is a follower and campaigns again.")
    }
    let ttl = state.withLock { Int($0.lease.ttl.rounded(.up)) }
    let granted = try await client.grantLease(ttl: ttl)
    state.withLock { state in
      state.leaseID = granted.id
      state.lease.renewed(sentAt: sentAt, grantedTTL: granted.ttl)
    }
    return granted.id
  }

  /// Creates the leader key when absent (compare create revision 0), or reads who holds it.
  private func campaign(leaseID: Int64) async throws(EtcdError) {
    let record = EtcdLeaderRecord(nodeID: nodeID, apiURL: apiURL, lease: leaseID, electedAt: wallClock.now)
    let result = try await client.txn(
      EtcdTxn(
        compare: [.createRevision(leaderKey, equals: 0)],
        success: [.put(leaderKey, EtcdMembershipCoding.encode(record), lease: leaseID)],
        failure: [.range(leaderKey)]))
    if result.succeeded {
      state.withLock { state in
        state.wonRevision = result.revision
        state.leader = record.leader
      }
      logger.notice("\(nodeID) won the election (leader key revision \(result.revision)).")
      return
    }
    let kv = result.kvs(at: 0).first
    let holder = kv.flatMap { EtcdMembershipCoding.decode(EtcdLeaderRecord.self, $0.value) }
    state.withLock { state in
      if let kv, kv.lease == leaseID {
        state.wonRevision = kv.createRevision  // still ours (a round had failed in between)
      } else {
        state.wonRevision = nil
      }
      state.leader = holder?.leader
    }
  }

  private static func forgetLease(_ state: inout ElectionState) {
    state.leaseID = nil
    state.wonRevision = nil
    state.lease.lost()
  }

  private func publishRole() {
    let changed: ClusterRole? = state.withLock { state in
      let role = Self.role(state, now: monotonic())
      defer { state.lastRole = role }
      return role == state.lastRole ? nil : role
    }
    if let changed {
      logger.notice("\(nodeID) is now \(changed.rawValue).")
      onRoleChange(changed)
    }
  }

  private static func role(_ state: ElectionState, now: TimeInterval) -> ClusterRole {
    if state.wonRevision != nil, state.lease.isHeld(at: now) { return .leader }
    return state.reachable ? .follower : .degraded
  }

  // MARK: Leadership

  public func isLeader() -> Bool {
    state.withLock { Self.role($0, now: monotonic()) == .leader }
  }

  public func confirm() async throws {
    guard let won = state.withLock({ $0.wonRevision }), isLeader() else {
      throw LeadershipLost(status().detail)
    }
    let kv: EtcdKeyValue?
    do { kv = try await client.get(leaderKey) } catch {
      throw LeadershipLost("the leader key cannot be read (\(error))")
    }
    guard let kv, kv.createRevision == won else {
      state.withLock { $0.wonRevision = nil }
      throw LeadershipLost("the leader key is no longer the one this node won (revision \(won))")
    }
    guard isLeader() else { throw LeadershipLost("the lease has less than its safety margin left") }
  }

  public func status() -> LeadershipStatus {
    state.withLock { state in
      let now = monotonic()
      let role = Self.role(state, now: now)
      let detail: String
      switch role {
      case .leader:
        let left = state.lease.secondsLeft(at: now) ?? 0
        detail =
          "This node holds the leader lease (\(String(format: "%.1f", left)) s left before its margin)."
      case .follower:
        detail =
          state.leader.map { "\($0.nodeID) leads; this node follows." }
          ?? "No node holds the leader key yet; this node campaigns."
      case .degraded:
        detail =
          "This node is cut off from etcd (\(state.problem ?? "no member answers")): it takes no action and "
          + "serves what it last read."
      }
      return LeadershipStatus(role: role, leader: state.leader, detail: detail)
    }
  }

  public func members() async throws -> [ClusterMember] {
    try await membership.members()
  }

  // MARK: EtcdFence

  public func fencingCompares() throws(EtcdError) -> [EtcdCompare] {
    let won: Int64? = state.withLock { state in
      Self.role(state, now: monotonic()) == .leader ? state.wonRevision : nil
    }
    guard let won else {
      throw .notLeader("\(nodeID) does not hold the leader lease with its safety margin left")
    }
    return [.createRevision(leaderKey, equals: won)]
  }
}
