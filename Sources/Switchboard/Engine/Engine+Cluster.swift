import FailoverCore
import Foundation

/// The engine in a cluster: only the leader decides and runs workflows. A node that wins leadership reloads the
/// shared state and resumes every workflow in flight from the journal (as a restart does); one that loses it stops
/// its workflows (their next fenced write or leadership check would refuse them anyway). Followers refresh routing,
/// overrides and workflows in flight from the store every tick, so every node shows the leader's picture.
extension Engine {
  /// The cluster's leader election (nil: a single node, always the leader).
  public nonisolated var leadership: (any Leadership)? { ports.leadership }

  /// Leadership's part of a tick: whether this node decides now (always, without a cluster).
  func followLeadership(at now: Date) async -> Bool {
    guard let leadership = ports.leadership else { return true }
    let leads = leadership.isLeader()
    if leads, !cluster.leading {
      cluster.leading = await takeOver(at: now)
      return cluster.leading
    }
    if !leads, cluster.leading { stepDown() }
    if leads {
      // Overrides written by followers (through the store) count at the leader's next tick.
      if let overrides = try? await ports.overrides.overrides(), overrides != state.book.overrides {
        state.book = OverrideBook(overrides)
        fanOut.emit(.overrides)
      }
    } else {
      await followStore(at: now)
    }
    return leads
  }

  /// Whether this node may act on a person's request to move traffic (the API forwards it to the leader first).
  func requireLeadership() throws(EngineError) {
    guard let leadership = ports.leadership, !leadership.isLeader() else { return }
    throw EngineError(.unavailable, "This node is not the cluster's leader: \(leadership.status().detail)")
  }

  /// Won leadership: wait for workflows this node stopped when it lost it, reload the shared state, resume.
  private func takeOver(at now: Date) async -> Bool {
    for task in workflows.allTasks { await task.value }
    do {
      state.book = OverrideBook(try await ports.overrides.overrides())
      for service in state.config.services {
        state.routing[service.id] =
          try await ports.history.routingState(service: service.id) ?? .initial(for: service)
      }
      state.history = try await ports.history.transitions(since: now.addingTimeInterval(-3600))
      let unfinished = try await ports.journal.unfinishedWorkflows()
      workflows.mirror([], at: now)
      for plans in Dictionary(grouping: unfinished, by: { $0.plan.service }).values {
        logger.notice(
          "Leader: resuming \(plans.map(\.id).joined(separator: ", ")) for \(plans[0].plan.service).")
        launch(plans, events: nil)
      }
      logger.notice("This node leads: it decides from now on (\(unfinished.count) workflow(s) resumed).")
      return true
    } catch {
      logger.error("This node won leadership but cannot read the shared state; it will try again: \(error)")
      return false
    }
  }

  /// Lost leadership: decide nothing more and stop the workflows (the new leader resumes them).
  private func stepDown() {
    cluster.leading = false
    cluster.routingReadAt = nil
    for task in workflows.allTasks { task.cancel() }
    logger.warning("This node no longer leads: it stops deciding and stops its workflows.")
  }

  /// A follower's read model: routing, overrides and workflows in flight as the leader stored them.
  private func followStore(at now: Date) async {
    do {
      let overrides = try await ports.overrides.overrides()
      if overrides != state.book.overrides {
        state.book = OverrideBook(overrides)
        fanOut.emit(.overrides)
      }
      // Routing changes only when a workflow ends: re-read a service's when its workflow left the journal's in-flight
      // list, and every service's every `ClusterFollowing.routingResync` seconds (one read per service).
      let unfinished = workflows.allTasks.isEmpty ? try await ports.journal.unfinishedWorkflows() : nil
      let stillRunning = Set((unfinished ?? []).map(\.plan.service))
      let ended = workflows.inFlight.keys.filter { !stillRunning.contains($0) }
      let resync =
        cluster.routingReadAt.map { now.timeIntervalSince($0) >= ClusterFollowing.routingResync } ?? true
      if resync { cluster.routingReadAt = now }
      for service in state.config.services where resync || ended.contains(service.id) {
        guard let routing = try await ports.history.routingState(service: service.id),
          routing != state.routing[service.id]
        else { continue }
        state.routing[service.id] = routing
        fanOut.emit(.routing(service: service.id))
      }
      if let unfinished { workflows.mirror(unfinished, at: now) }
    } catch {
      logger.debug("A follower could not refresh from the store: \(error)")
    }
  }
}

/// A cluster node's memory between ticks: whether it leads, and when (as a follower) it last re-read every
/// service's routing from the store.
struct ClusterFollowing: Sendable {
  /// Seconds between two full re-reads of every service's routing on a follower.
  static let routingResync: TimeInterval = 5
  /// Whether the last tick found this node leading.
  var leading = false
  /// When a follower last re-read every service's routing (nil: at its next tick).
  var routingReadAt: Date?
}
