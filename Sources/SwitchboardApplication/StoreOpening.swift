import Configuration
import Etcd
import FailoverCore
import Foundation
import Store

/// The one place that opens the store backend (SQLite or etcd); everything else holds its ports.
public enum StoreOpening {
  /// Opens the backend `config.storage` names: the SQLite file at `storage.path` (created when missing), or the
  /// etcd store under `config.etcdPrefix` (opening contacts no member: the first read or write does). For etcd,
  /// the composition root gives the leader election's fence to the store with `(store as? EtcdStore)?.setFence`.
  public static func open(config: SwitchboardConfig, durability: StoreDurability = .full) throws
    -> any SwitchboardStore
  {
    switch config.storageBackend {
    case .sqlite: return try open(path: config.storagePath, durability: durability)
    case .etcd: return try openEtcd(config: config)
    }
  }

  /// The etcd store of `config` (its endpoints, credentials, request timeout and prefix).
  public static func openEtcd(config: SwitchboardConfig) throws -> EtcdStore {
    EtcdStore(client: try etcdClient(config: config), prefix: config.etcdPrefix)
  }

  /// A client of `config`'s etcd members (`storage.endpoints`, `username`, `password`, `tls`, `request_timeout`).
  public static func etcdClient(config: SwitchboardConfig) throws -> EtcdClient {
    guard let settings = config.etcd, !settings.endpoints.isEmpty else {
      throw StoreOpeningError(
        "`storage.backend: etcd` needs `storage.endpoints` (the etcd members' client URLs).")
    }
    let urls = settings.endpoints.compactMap(URL.init(string:))
    guard urls.count == settings.endpoints.count else {
      throw StoreOpeningError("`storage.endpoints` must be URLs of etcd members: \(settings.endpoints).")
    }
    return EtcdClient(
      endpoints: urls, username: settings.username, password: settings.password,
      timeout: settings.requestTimeout, transport: try etcdTransport(settings: settings, urls: urls))
  }

  /// Switchboard's own transport (sockets + OpenSSL) for every member: `https://` verified against `ca_file` with
  /// `cert_file` presented, plain `http://` too. Not URLSession: FoundationNetworking stops the process when a
  /// member dies mid-request (see `EtcdTransport`).
  static func etcdTransport(settings: EtcdSettings, urls: [URL]) throws -> any EtcdTransport {
    do {
      return try EtcdSocketTransport(
        caFile: settings.tls?.caFile, certFile: settings.tls?.certFile, keyFile: settings.tls?.keyFile)
    } catch {
      throw StoreOpeningError("The etcd store cannot be opened: \(error)")
    }
  }

  /// A sentence naming where the store is, for messages: the SQLite path, or the etcd endpoints and prefix.
  public static func describe(_ config: SwitchboardConfig) -> String {
    switch config.storageBackend {
    case .sqlite: return config.storagePath
    case .etcd:
      return "etcd \(config.etcd?.endpoints.joined(separator: ",") ?? "") under \(config.etcdPrefix)store/"
    }
  }

  /// Opens (creating it when missing) the SQLite store at `path`.
  public static func open(path: String, durability: StoreDurability = .full) throws -> any SwitchboardStore {
    try openMeasured(path: path, durability: durability)
  }

  /// Opens the store at `path` with its footprint readings (the store-growth benchmark).
  public static func openMeasured(path: String, durability: StoreDurability = .full) throws
    -> any MeasuredStore
  {
    switch durability {
    case .full: return try SQLiteStore(path: path, durability: .full)
    case .normal: return try SQLiteStore(path: path, durability: .normal)
    }
  }
}

/// Why a store could not be opened from the configuration.
public struct StoreOpeningError: Error, CustomStringConvertible {
  public let description: String

  init(_ description: String) { self.description = description }
}

extension StoreOpening {
  /// Copies the store at `path` to a new file at `destination` while it may be in use (online backup).
  public static func backup(path: String, to destination: String) throws {
    try SQLiteStore(path: path).backup(to: destination)
  }

  /// Why `switchboard backup` does not copy an etcd store: etcd is backed up as a whole, by etcd's own snapshot.
  public static let etcdBackupRefusal =
    "storage.backend is etcd: Switchboard's facts live in etcd, so back up etcd itself with `etcdctl snapshot save "
    + "FILE` (a consistent snapshot of every key; see docs/operations.md, \"Backups on etcd\"). `switchboard "
    + "audit verify --config FILE` checks the audit chain in etcd."
}
