import Foundation

/// One condition of a transaction (etcd's `Compare`).
public enum EtcdCompare: Sendable, Hashable {
  /// The key's create revision equals the given one (0: the key does not exist).
  case createRevision(String, equals: Int64)
  /// The key's last-modification revision equals the given one (0: the key does not exist).
  case modRevision(String, equals: Int64)
  /// The key's version equals the given one (0: the key does not exist).
  case version(String, equals: Int64)
  /// The key's value equals these bytes.
  case value(String, equals: Data)
}

/// One operation of a transaction's branch, or on its own.
public enum EtcdOp: Sendable, Hashable {
  /// Writes a key (attached to a lease when `lease` is not nil).
  case put(String, Data, lease: Int64? = nil)
  /// Deletes a key, or every key starting with it when `prefix`.
  case delete(String, prefix: Bool = false)
  /// Reads a key, or every key starting with it when `prefix`.
  case range(String, prefix: Bool = false)
}

/// A transaction: when every compare holds, `success` runs, otherwise `failure`; atomically.
public struct EtcdTxn: Sendable, Hashable {
  public var compare: [EtcdCompare]
  public var success: [EtcdOp]
  public var failure: [EtcdOp]

  public init(compare: [EtcdCompare] = [], success: [EtcdOp] = [], failure: [EtcdOp] = []) {
    self.compare = compare
    self.success = success
    self.failure = failure
  }
}

/// The answer to one operation of the branch that ran.
public enum EtcdOpResult: Sendable {
  case range([EtcdKeyValue])
  case put
  case delete(deleted: Int64)
}

/// What a transaction did.
public struct EtcdTxnResult: Sendable {
  /// Whether the compares held (`success` ran) or not (`failure` ran).
  public var succeeded: Bool
  /// The store's revision after the transaction.
  public var revision: Int64
  /// One answer per operation of the branch that ran.
  public var responses: [EtcdOpResult]

  /// The keys the `index`th operation read, if it was a range.
  public func kvs(at index: Int) -> [EtcdKeyValue] {
    guard index < responses.count, case .range(let kvs) = responses[index] else { return [] }
    return kvs
  }
}
