import Configuration
import Etcd
import FailoverCore
import Foundation
import Switchboard

/// The cluster's parts for `storage.backend: etcd`: the leader election over the etcd store's client (the engine's
/// `Leadership`, and the store's fence for journal and routing writes), and this node's identity for
/// `GET /api/v1/cluster`. A single node on SQLite has no election: it is always the leader.
struct ClusterWiring: Sendable {
  /// This node's identity, backend and cluster name.
  let identity: ClusterIdentity
  /// The election, on etcd only.
  let election: EtcdLeaderElection?

  /// The wiring for `store` (opened by `StoreOpening`); on etcd, the election becomes the store's fence.
  init(config: SwitchboardConfig, options: ApplicationOptions, store: any SwitchboardStore) {
    let nodeID = options.resolvedNodeID(config: config)
    let apiURL = options.resolvedAdvertiseURL(config: config)
    guard let etcdStore = store as? EtcdStore else {
      identity = ClusterIdentity(
        nodeID: nodeID, apiURL: apiURL, backend: "sqlite", clusterName: config.cluster.name)
      election = nil
      return
    }
    identity = ClusterIdentity(
      nodeID: nodeID, apiURL: apiURL, backend: "etcd", clusterName: config.cluster.name)
    let election = EtcdLeaderElection(
      client: etcdStore.client, prefix: config.etcdPrefix, nodeID: nodeID, apiURL: apiURL,
      leaseTTL: config.cluster.leaseTTL, wallClock: options.clock)
    etcdStore.setFence(election)
    self.election = election
  }
}
