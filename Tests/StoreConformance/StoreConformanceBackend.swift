import FailoverCore

/// A store backend under test: how to open a fresh, empty store, and how to damage one stored event (the part of
/// the chain checks no protocol can express).
public struct StoreConformanceBackend: Sendable {
  /// The backend's name, for reports ("SQLite", "etcd").
  public var name: String
  /// Opens a new, empty store; each call gives a store that shares nothing with the others.
  public var makeStore: @Sendable () async throws -> any SwitchboardStore
  /// Changes the stored content of the event at `seq` (its message) without fixing its hash, as someone editing
  /// the backend's data by hand would.
  public var tamperWithEvent: @Sendable (_ store: any SwitchboardStore, _ seq: Int64) async throws -> Void

  /// A backend opened by `makeStore`, damaged by `tamperWithEvent`.
  public init(
    name: String, makeStore: @escaping @Sendable () async throws -> any SwitchboardStore,
    tamperWithEvent: @escaping @Sendable (_ store: any SwitchboardStore, _ seq: Int64) async throws -> Void
  ) {
    self.name = name
    self.makeStore = makeStore
    self.tamperWithEvent = tamperWithEvent
  }
}
