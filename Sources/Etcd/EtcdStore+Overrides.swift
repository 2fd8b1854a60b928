import FailoverCore
import Foundation

extension EtcdStore: OverrideStore {
  /// Inserts or replaces an override (by id, keeping its place in creation order: the key's create revision) and
  /// appends its event, in one transaction. Not fenced: followers save overrides too.
  public func save(_ override: Override, event: Event) async throws {
    let put = EtcdOp.put(key("overrides", override.id), try Self.encode(override))
    _ = try await write("save override \(override.id)") {
      .write(EtcdWritePlan(ops: [put], events: [event]), ())
    }
  }

  /// Every override, active or not, oldest first (in the order they were first saved).
  public func overrides() async throws -> [Override] {
    try await read("list overrides") {
      try await client.rangeSorted(prefix("overrides"), sortTarget: .create).kvs.map {
        try Self.decode(Override.self, $0)
      }
    }
  }

  /// One override by id; nil when there is none.
  public func override(id: String) async throws -> Override? {
    try await read("read override \(id)") {
      try await client.get(key("overrides", id)).map { try Self.decode(Override.self, $0) }
    }
  }
}
