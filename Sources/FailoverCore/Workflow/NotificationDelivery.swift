import Foundation

/// Delivers a notification with retries; a failure never propagates, it becomes an event to record.
public struct NotificationDelivery: Sendable {
  /// Where notifications go.
  public var notifier: any Notifier
  /// Retries between attempts.
  public var backoff: Backoff
  /// How to wait between attempts.
  public var sleeper: any Sleeper
  public init(notifier: any Notifier, backoff: Backoff, sleeper: any Sleeper) {
    self.notifier = notifier
    self.backoff = backoff
    self.sleeper = sleeper
  }

  /// Sends the notification; nil when delivered, otherwise the `notification.failed` event to record.
  public func deliver(_ notification: FailoverNotification, at now: @Sendable () -> Date) async -> Event? {
    var lastError = ""
    let attempts = max(1, backoff.policy.maxAttempts)
    for attempt in 1...attempts {
      do {
        try await notifier.notify(notification)
        return nil
      } catch {
        lastError = "\(error)"
        if attempt < attempts {
          do { try await sleeper.sleep(seconds: backoff.delay(beforeRetry: attempt)) } catch { break }
        }
      }
    }
    return Event(
      kind: .notificationFailed, scope: .service(ServiceID(notification.service)), at: now(),
      message:
        "The \(notification.kind.rawValue) notification for \(notification.service) could not be delivered after "
        + "\(attempts) attempts: \(lastError)",
      details: ["notification": .string(notification.kind.rawValue), "error": .string(lastError)])
  }
}
