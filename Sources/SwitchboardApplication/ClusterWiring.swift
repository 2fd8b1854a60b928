import Configuration
import Etcd
import FailoverCore
import Foundation
import Switchboard

/// The cluster's parts for `storage.backend: etcd`: one etcd client, the leader election (the engine's
/// `Leadership` and the store's fence), and this node's identity for `GET /api/v1/cluster`. A single node on
/// SQLite has no election: it is always the leader.
struct ClusterWiring: Sendable {
  /// This node's identity, backend and cluster name.
  let identity: ClusterIdentity
  /// The election, on etcd only.
  let election: EtcdLeaderElection?
  /// The client the election uses, on etcd only.
  let client: EtcdClient?
  /// The shared store, fenced by the election (journal and routing writes), on etcd only.
  let store: EtcdStore?

  init(config: SwitchboardConfig, options: ApplicationOptions) {
    let nodeID = options.resolvedNodeID(config: config)
    let apiURL = options.resolvedAdvertiseURL(config: config)
    guard config.storageBackend == .etcd, let etcd = config.etcd else {
      identity = ClusterIdentity(
        nodeID: nodeID, apiURL: apiURL, backend: "sqlite", clusterName: config.cluster.name)
      election = nil
      client = nil
      store = nil
      return
    }
    identity = ClusterIdentity(
      nodeID: nodeID, apiURL: apiURL, backend: "etcd", clusterName: config.cluster.name)
    let client = EtcdClient(
      endpoints: etcd.endpoints.compactMap(URL.init(string:)), username: etcd.username,
      password: etcd.password,
      timeout: etcd.requestTimeout)
    self.client = client
    let election = EtcdLeaderElection(
      client: client, prefix: config.etcdPrefix, nodeID: nodeID, apiURL: apiURL,
      leaseTTL: config.cluster.leaseTTL, wallClock: options.clock)
    self.election = election
    store = EtcdStore(client: client, prefix: config.etcdPrefix, fence: election)
  }
}
