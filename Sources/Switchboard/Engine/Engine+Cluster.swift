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
    if leads, !leading {
      leading = await takeOver(at: now)
      return leading
    }
    if !leads, leading { stepDown() }
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
    leading = false
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
      for service in state.config.services {
        guard let routing = try await ports.history.routingState(service: service.id),
          routing != state.routing[service.id]
        else { continue }
        state.routing[service.id] = routing
        fanOut.emit(.routing(service: service.id))
      }
      if workflows.allTasks.isEmpty {
        workflows.mirror(try await ports.journal.unfinishedWorkflows(), at: now)
      }
    } catch {
      logger.debug("A follower could not refresh from the store: \(error)")
    }
  }
}
