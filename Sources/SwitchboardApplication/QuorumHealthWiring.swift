import Configuration
import Etcd
import FailoverCore
import Foundation

extension EtcdHealthViews {
  /// The quorum-health views of a cluster configuration (`storage.backend: etcd`): this node publishes its verdicts
  /// at `P health/<node-id>` under a lease of `cluster.lease_ttl` and reads the others'. Nil on a single node.
  static func configured(config: SwitchboardConfig, options: ApplicationOptions) -> EtcdHealthViews? {
    guard config.storageBackend == .etcd, let etcd = config.etcd else { return nil }
    let endpoints = etcd.endpoints.compactMap { URL(string: $0) }
    guard !endpoints.isEmpty else { return nil }
    let client = EtcdClient(
      endpoints: endpoints, username: etcd.username, password: etcd.password, timeout: etcd.requestTimeout)
    return EtcdHealthViews(
      client: client, prefix: config.etcdPrefix, nodeID: options.resolvedNodeID(config: config),
      leaseTTL: config.cluster.leaseTTL, clock: options.clock)
  }
}
