import Foundation

/// When the status documents first showed each component, so their `created_at` survives restarts.
public protocol ComponentHistory: Sendable {
  /// The first-seen time of every name asked; names never seen before are recorded at `now`.
  func componentsFirstSeen(_ names: [String], now: Date) async throws -> [String: Date]
}
