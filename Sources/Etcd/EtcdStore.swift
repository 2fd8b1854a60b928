import FailoverCore
import Foundation
import Store
import Synchronization

/// Switchboard's durable state in etcd, under `<prefix>store/`: the same facts and rules as the SQLite store
/// (every port of `SwitchboardStore`), shared by every node of a cluster.
///
/// Every write is one etcd transaction whose compares hold what it read (optimistic concurrency, retried a bounded
/// number of times): audit events are chained to the head key `chain/head`, so appends from several nodes
/// serialize there and the chain stays one line. Fenced writes (the workflow journal and routing history) also
/// carry the fence's compares: when they fail, or the fence throws, the write is refused as `EtcdError.notLeader`
/// and nothing is written. Writes from one process are serialized locally first, so its own tasks do not collide.
///
/// Failures to reach etcd surface as `StoreError.database` naming the operation and every member's reason.
public final class EtcdStore: Sendable {
  /// The etcd client every call goes through.
  public let client: EtcdClient
  /// Where the store's keys start: the configured prefix followed by `store/`.
  public let root: String
  /// How many observations the health history keeps per signal (pruned in steps of a tenth of it).
  public let observationsPerSignal: Int
  let fence: Mutex<(any EtcdFence)?>
  let writes = EtcdWriteQueue()
  /// The chain head as this process last wrote it (with the head key's mod revision), so an uncontended append
  /// needs no read; a failed compare clears it.
  let cachedHead = Mutex<EtcdChainHead?>(nil)
  /// Each signal's key count in the health history, once counted.
  let observationCounts = Mutex<[SignalKey: Int]>([:])
  /// Tells this process's health-history keys apart from other nodes' written in the same millisecond.
  let observationToken = String(UUID().uuidString.prefix(8)).lowercased()
  let observationCounter = Mutex<Int64>(0)
  /// How often a write is retried when another node's write changed what it read.
  static let maxAttempts = 64
  /// The most operations one transaction carries (etcd refuses more than `--max-txn-ops`, 128 by default).
  static let maxOps = 120

  /// A store over `client` with its keys under `prefix` + `store/` (`prefix` is `config.etcdPrefix`, ending in
  /// `/`). `fence` (nil: no fencing, a single node) guards the journal and routing writes; it can also be set
  /// later with `setFence(_:)`, once the leader election exists.
  public init(
    client: EtcdClient, prefix: String, fence: (any EtcdFence)? = nil, observationsPerSignal: Int = 1000
  ) {
    self.client = client
    root = (prefix.hasSuffix("/") || prefix.isEmpty ? prefix : prefix + "/") + "store/"
    self.fence = Mutex(fence)
    self.observationsPerSignal = max(observationsPerSignal, 1)
  }

  /// Sets (or removes, with nil) the fence that journal and routing writes carry from now on.
  public func setFence(_ fence: (any EtcdFence)?) {
    self.fence.withLock { $0 = fence }
  }

  /// The full key of a store key made of `parts` (each percent-encoded, joined by `/`).
  func key(_ area: String, _ parts: String...) -> String {
    ([root + area] + parts.map(Self.component)).joined(separator: "/")
  }

  /// The prefix of every key of `area` (and `parts`), ending in `/`.
  func prefix(_ area: String, _ parts: String...) -> String {
    ([root + area] + parts.map(Self.component)).joined(separator: "/") + "/"
  }

  /// A key component with `/` and `%` (and anything not plainly printable) percent-encoded.
  static func component(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~:@")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
  }

  /// A number zero-padded to 20 digits, so keys sort as the numbers do.
  static func padded(_ number: Int64, width: Int = 20) -> String {
    let digits = String(max(number, 0))
    return String(repeating: "0", count: max(width - digits.count, 0)) + digits
  }
}

/// The etcd store keeps every fact behind FailoverCore's store ports.
extension EtcdStore: SwitchboardStore {}
