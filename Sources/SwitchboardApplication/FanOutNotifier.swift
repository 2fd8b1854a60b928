import FailoverCore

/// Delivers each notification to every configured channel (SNS, webhook); with none configured it does nothing.
///
/// Every channel is tried even when one fails; a failure of any is reported (naming each failed channel), so
/// the engine's delivery retries and records it. A retry goes to every channel again.
public struct FanOutNotifier: Notifier {
  /// One channel and the name used in error messages.
  public struct Channel: Sendable {
    /// A short name such as `SNS` or `webhook`.
    public var name: String
    /// The channel itself.
    public var notifier: any Notifier
    /// A named channel.
    public init(name: String, notifier: any Notifier) {
      self.name = name
      self.notifier = notifier
    }
  }

  /// The channels, in delivery order.
  public let channels: [Channel]

  /// A fan-out over `channels`.
  public init(_ channels: [Channel]) { self.channels = channels }

  public func notify(_ notification: FailoverNotification) async throws {
    var failures: [String] = []
    for channel in channels {
      do { try await channel.notifier.notify(notification) } catch {
        failures.append("\(channel.name): \(error)")
      }
    }
    guard failures.isEmpty else { throw FanOutNotifierError(failures: failures) }
  }
}

/// Why one or more channels refused a notification.
public struct FanOutNotifierError: Error, Sendable, CustomStringConvertible {
  /// One `channel: reason` per failed channel.
  public var failures: [String]
  public var description: String {
    "The notification was not delivered to every channel (\(failures.joined(separator: "; ")))."
  }
}
