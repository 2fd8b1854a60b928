import Foundation

/// One key as etcd holds it: its value and the revisions that order every change.
public struct EtcdKeyValue: Sendable, Hashable {
  /// The key (UTF-8).
  public var key: String
  /// The value's bytes.
  public var value: Data
  /// The revision of the transaction that created the key (0 when absent).
  public var createRevision: Int64
  /// The revision of the last change to the key.
  public var modRevision: Int64
  /// How many times the key was written since its creation.
  public var version: Int64
  /// The lease the key is attached to (0: none).
  public var lease: Int64

  public init(
    key: String, value: Data, createRevision: Int64 = 0, modRevision: Int64 = 0, version: Int64 = 0,
    lease: Int64 = 0
  ) {
    self.key = key
    self.value = value
    self.createRevision = createRevision
    self.modRevision = modRevision
    self.version = version
    self.lease = lease
  }
}

/// What a range read returned: the keys, and the store's revision when it was read.
public struct EtcdRangeResult: Sendable {
  /// The keys found, in key order.
  public var kvs: [EtcdKeyValue]
  /// How many keys matched (more than `kvs.count` when a limit cut the answer).
  public var count: Int64
  /// The store's revision when the read was served.
  public var revision: Int64
  /// Whether a limit left keys out.
  public var more: Bool
}
