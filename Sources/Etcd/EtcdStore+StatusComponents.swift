import FailoverCore
import Foundation

extension EtcdStore: ComponentHistory {
  /// When the store first saw each status component (under `components/<name>`, ms): names not seen before are
  /// recorded at `now` (created only if still absent, so the first node to see one wins), the others keep their
  /// first time. Returns the time of every name asked.
  public func componentsFirstSeen(_ names: [String], now: Date) async throws -> [String: Date] {
    let names = Set(names)
    guard !names.isEmpty else { return [:] }
    let millis = Self.millis(now)
    // Each write records at most `maxOps / 2` new names; bounded by how many there are.
    for _ in 0...(names.count / (Self.maxOps / 2) + 1) {
      let seen = try await recordFirstSeen(names, millis: millis)
      if seen.count == names.count { return seen }
    }
    return try await recordFirstSeen(names, millis: millis)
  }

  private func recordFirstSeen(_ names: Set<String>, millis: Int64) async throws -> [String: Date] {
    try await write("record when status components were first seen") {
      var seen: [String: Date] = [:]
      for kv in try await client.range(prefix("components"), prefix: true).kvs {
        let name = String(kv.key.dropFirst(prefix("components").count)).removingPercentEncoding ?? ""
        if names.contains(name) {
          seen[name] = Self.date(millis: Int64(String(decoding: kv.value, as: UTF8.self)) ?? millis)
        }
      }
      let missing = names.filter { seen[$0] == nil }.sorted().prefix(Self.maxOps / 2)
      guard !missing.isEmpty else { return .done(seen) }
      for name in missing { seen[name] = Self.date(millis: millis) }
      return .write(
        EtcdWritePlan(
          compares: missing.map { .createRevision(key("components", $0), equals: 0) },
          ops: missing.map { .put(key("components", $0), Data(String(millis).utf8)) }), seen)
    }.0
  }
}
