import Foundation

/// The gateway's JSON shapes: base64 keys and values, 64-bit numbers as strings.
extension EtcdClient {
  static func b64(_ key: String) -> String { Data(key.utf8).base64EncodedString() }

  /// The key just past every key that starts with `prefix` (etcd's `range_end` for a prefix read).
  public static func prefixEnd(_ prefix: String) -> String {
    var bytes = Array(prefix.utf8)
    while let last = bytes.last {
      if last < 0xFF {
        bytes[bytes.count - 1] = last + 1
        return Data(bytes).base64EncodedString()
      }
      bytes.removeLast()
    }
    return Data([0]).base64EncodedString()
  }

  static func rangeBody(_ key: String, prefix: Bool) -> [String: Any] {
    var body: [String: Any] = ["key": b64(key)]
    if prefix { body["range_end"] = prefixEnd(key) }
    return body
  }

  static func compareBody(_ compare: EtcdCompare) -> [String: Any] {
    switch compare {
    case .createRevision(let key, let revision):
      return ["key": b64(key), "target": "CREATE", "result": "EQUAL", "create_revision": String(revision)]
    case .modRevision(let key, let revision):
      return ["key": b64(key), "target": "MOD", "result": "EQUAL", "mod_revision": String(revision)]
    case .version(let key, let version):
      return ["key": b64(key), "target": "VERSION", "result": "EQUAL", "version": String(version)]
    case .value(let key, let value):
      return ["key": b64(key), "target": "VALUE", "result": "EQUAL", "value": value.base64EncodedString()]
    }
  }

  static func opBody(_ op: EtcdOp) -> [String: Any] {
    switch op {
    case .put(let key, let value, let lease):
      var put: [String: Any] = ["key": b64(key), "value": value.base64EncodedString()]
      if let lease, lease != 0 { put["lease"] = String(lease) }
      return ["request_put": put]
    case .delete(let key, let prefix):
      return ["request_delete_range": rangeBody(key, prefix: prefix)]
    case .range(let key, let prefix):
      return ["request_range": rangeBody(key, prefix: prefix)]
    }
  }

  static func keyValue(_ object: [String: Any]) throws(EtcdError) -> EtcdKeyValue {
    guard let keyText = object["key"] as? String, let keyData = Data(base64Encoded: keyText) else {
      throw .malformed("a key-value without a base64 key")
    }
    let value = (object["value"] as? String).flatMap { Data(base64Encoded: $0) } ?? Data()
    return EtcdKeyValue(
      key: String(decoding: keyData, as: UTF8.self), value: value,
      createRevision: int64(object["create_revision"]), modRevision: int64(object["mod_revision"]),
      version: int64(object["version"]), lease: int64(object["lease"]))
  }

  static func revision(_ answer: [String: Any]) -> Int64 {
    int64((answer["header"] as? [String: Any])?["revision"])
  }

  static func int64(_ value: Any?) -> Int64 {
    switch value {
    case let text as String: return Int64(text) ?? 0
    case let number as NSNumber: return number.int64Value
    default: return 0
    }
  }
}
