import Configuration
import Etcd
import FailoverCore
import Foundation

extension EtcdHealthViews {
  /// The quorum-health views of a cluster (`storage.backend: etcd`), over the etcd store's client: this node
  /// publishes its verdicts at `P health/<node-id>` under a lease of `cluster.lease_ttl` and reads the others'.
  /// Nil on a single node (any other store).
  static func configured(
    config: SwitchboardConfig, options: ApplicationOptions, store: any SwitchboardStore
  ) -> EtcdHealthViews? {
    guard let etcdStore = store as? EtcdStore else { return nil }
    return EtcdHealthViews(
      client: etcdStore.client, prefix: config.etcdPrefix, nodeID: options.resolvedNodeID(config: config),
      leaseTTL: config.cluster.leaseTTL, clock: options.clock)
  }
}
