/// Durable overrides.
public protocol OverrideStore: Sendable {
  /// Inserts or replaces an override (by id) and appends its event in the same transaction.
  func save(_ override: Override, event: Event) async throws
  /// Every override, active or not, oldest first.
  func overrides() async throws -> [Override]
  /// One override by id; nil when there is none.
  func override(id: String) async throws -> Override?
}
