import Foundation

/// Which backend keeps Switchboard's facts (`storage.backend`).
public enum StorageBackend: String, Sendable, Hashable, CaseIterable {
  /// One node, an embedded SQLite file (`storage.path`): the default.
  case sqlite
  /// A cluster of nodes sharing an etcd v3 cluster (`storage.endpoints`), one of them the leader.
  case etcd
}

/// TLS towards etcd (`storage.tls`): a CA to trust and, for client-certificate authentication, a certificate and key.
public struct EtcdTLSSettings: Sendable, Hashable {
  /// PEM bundle of the CAs that sign etcd's certificates (nil: the system's).
  public var caFile: String?
  /// PEM client certificate (with `keyFile`), when etcd asks for one.
  public var certFile: String?
  /// PEM private key of `certFile`.
  public var keyFile: String?

  public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil) {
    self.caFile = caFile
    self.certFile = certFile
    self.keyFile = keyFile
  }
}

/// Where the etcd backend talks (`storage:` with `backend: etcd`).
public struct EtcdSettings: Sendable, Hashable {
  /// The members' client URLs (`http://` or `https://`), tried in turn when one stops answering.
  public var endpoints: [String]
  /// Every key Switchboard writes starts with it; nil means `/switchboard/<cluster.name>/`.
  public var prefix: String?
  /// etcd user, when etcd has authentication enabled.
  public var username: String?
  /// That user's password (a secret: or `SWITCHBOARD_ETCD_PASSWORD`).
  public var password: String?
  /// TLS settings, for `https://` endpoints.
  public var tls: EtcdTLSSettings?
  /// How long one request to one member may take before the next member is tried, in seconds. Default 2 s.
  public var requestTimeout: TimeInterval

  public init(
    endpoints: [String], prefix: String? = nil, username: String? = nil, password: String? = nil,
    tls: EtcdTLSSettings? = nil, requestTimeout: TimeInterval = 2
  ) {
    self.endpoints = endpoints
    self.prefix = prefix
    self.username = username
    self.password = password
    self.tls = tls
    self.requestTimeout = requestTimeout
  }
}

extension SwitchboardConfig {
  /// The etcd key prefix in force: `storage.prefix`, or `/switchboard/<cluster.name>/`; always ends with `/`.
  public var etcdPrefix: String {
    let prefix = etcd?.prefix ?? "/switchboard/\(cluster.name)/"
    return prefix.hasSuffix("/") ? prefix : prefix + "/"
  }
}

extension ConfigDecoder {
  /// The `storage:` section: `backend`, then `path` (sqlite) or the etcd keys.
  func decodeStorage(_ storage: MappingReader, into config: inout SwitchboardConfig) {
    storage.allowKeys([
      "backend", "path", "endpoints", "prefix", "username", "password", "tls", "request_timeout",
    ])
    if let text = storage.string("backend") {
      if let backend = StorageBackend(rawValue: text) {
        config.storageBackend = backend
      } else {
        problems.add(
          storage.value("backend")?.mark, "`storage.backend` must be `sqlite` or `etcd`, not \"\(text)\".")
      }
    }
    if let path = storage.string("path") { config.storagePath = path }
    let etcdKeys = ["endpoints", "prefix", "username", "password", "tls", "request_timeout"]
    guard config.storageBackend == .etcd else {
      for key in etcdKeys where storage.value(key) != nil {
        problems.add(storage.mark(key), "`storage.\(key)` applies to `backend: etcd` only.")
      }
      return
    }
    var endpoints: [String] = []
    for (index, node) in (storage.sequence("endpoints", required: "the etcd members' client URLs") ?? [])
      .enumerated()
    {
      guard let text = node.string, let url = URL(string: text),
        ["http", "https"].contains(url.scheme ?? ""),
        url.host != nil
      else {
        problems.add(
          node.mark, "`storage.endpoints[\(index)]` must be an http:// or https:// URL of an etcd member.")
        continue
      }
      endpoints.append(text.hasSuffix("/") ? String(text.dropLast()) : text)
    }
    var settings = EtcdSettings(endpoints: endpoints)
    if let prefix = storage.string("prefix") {
      if prefix.hasPrefix("/") {
        settings.prefix = prefix
      } else {
        problems.add(
          storage.value("prefix")?.mark, "`storage.prefix` must start with `/`, not \"\(prefix)\".")
      }
    }
    settings.username = storage.string("username")
    settings.password = storage.string("password")
    if settings.password != nil, settings.username == nil {
      problems.add(storage.mark("password"), "`storage.password` needs `storage.username`.")
    }
    if let tls = storage.mappingReader("tls") {
      tls.allowKeys(["ca_file", "cert_file", "key_file"])
      let settingsTLS = EtcdTLSSettings(
        caFile: tls.string("ca_file"), certFile: tls.string("cert_file"), keyFile: tls.string("key_file"))
      let files = [
        ("ca_file", settingsTLS.caFile), ("cert_file", settingsTLS.certFile),
        ("key_file", settingsTLS.keyFile),
      ]
      for (key, path) in files {
        guard let path, let problem = PEMFileCheck.problem(path: path, key: "storage.tls.\(key)") else {
          continue
        }
        problems.add(tls.value(key)?.mark, problem)
      }
      if (settingsTLS.certFile == nil) != (settingsTLS.keyFile == nil) {
        problems.add(tls.node.mark, "`storage.tls` needs both `cert_file` and `key_file`, or neither.")
      }
      settings.tls = settingsTLS
    }
    if let timeout = storage.duration("request_timeout", in: 0.1...60) { settings.requestTimeout = timeout }
    config.etcd = settings
  }
}
