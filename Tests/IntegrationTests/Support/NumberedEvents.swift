import FailoverCore
import Foundation

extension EventLog {
  /// Appends `count` `override.created` events a second apart, with the messages "override 1", "override 2", …
  /// (the audit-chain tests edit one of them by its message).
  func appendNumberedOverrides(_ count: Int) async throws {
    try await append(
      (1...count).map {
        Event(
          kind: .overrideCreated, scope: .global, at: Date(timeIntervalSince1970: 1000 + Double($0)),
          message: "override \($0)")
      })
  }
}
