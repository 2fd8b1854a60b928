/// What makes a write fenced: the compares every leader-only transaction carries (that this node still holds the
/// leader key it won, at the revision it won it). The leader election implements it; the etcd store asks it before
/// every journal step and routing write.
public protocol EtcdFence: Sendable {
  /// The compares a fenced write must add to its transaction; throws `EtcdError.notLeader` when this node does
  /// not hold leadership now (or its lease has less than the safety margin left).
  func fencingCompares() throws(EtcdError) -> [EtcdCompare]
}
