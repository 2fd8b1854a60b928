import FailoverCore
import Foundation

/// Publishes failover notifications to one SNS topic (FailoverCore's `Notifier`).
public struct SNSNotifier: Notifier {
  /// The query-protocol client underneath.
  public let query: AWSQueryClient
  /// The topic every notification goes to.
  public let topicARN: String

  /// A notifier for one topic, signing for `region`.
  public init(
    endpoint: URL, region: String, topicARN: String, credentials: any AWSCredentialProvider,
    transport: any AWSHTTPTransport = URLSessionTransport(), retry: RetryPolicy = .standard,
    observer: (any AWSCallObserver)? = nil
  ) {
    let executor = AWSRequestExecutor(
      endpoint: AWSServiceEndpoint(serviceName: "SNS", signingName: "sns", region: region, url: endpoint),
      credentials: credentials, transport: transport, retry: retry, observer: observer)
    query = AWSQueryClient(executor: executor, version: "2010-03-31")
    self.topicARN = topicARN
  }

  /// Notifier: publishes the subject and JSON message to the topic.
  public func notify(_ notification: FailoverNotification) async throws {
    _ = try await publish(subject: Self.subject(notification), message: Self.message(notification))
  }

  /// Publish; returns the message id.
  public func publish(subject: String?, message: String) async throws -> String {
    var p = QueryParameters()
    p.add("TopicArn", topicARN)
    p.add("Subject", subject)
    p.add("Message", message)
    let result = try await query.call("Publish", p.pairs)
    return result.value("MessageId") ?? ""
  }

  /// SNS subjects are ASCII without line breaks, at most 100 characters.
  public static func subject(_ notification: FailoverNotification) -> String {
    let ascii = notification.subject.replacingOccurrences(of: "→", with: "->")
      .unicodeScalars.map { $0.isASCII && $0.value >= 32 && $0.value != 127 ? Character($0) : "?" }
    return String(String(ascii).prefix(100))
  }

  /// The JSON message: kind, service, regions, reason, measured times and the instant, with sorted keys.
  public static func message(_ notification: FailoverNotification) -> String {
    let formatter = ISO8601DateFormatter()
    let object: [String: Any] = [
      "kind": notification.kind.rawValue,
      "service": notification.service,
      "fromRegion": notification.fromRegion.map { $0 as Any } ?? NSNull(),
      "toRegion": notification.toRegion.map { $0 as Any } ?? NSNull(),
      "reason": notification.reason,
      "timings": notification.timings,
      "at": formatter.string(from: notification.at),
    ]
    let data =
      (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self)
  }

  /// CreateTopic (idempotent by name); returns the topic ARN.
  public static func createTopic(name: String, using query: AWSQueryClient) async throws -> String {
    let result = try await query.call("CreateTopic", [("Name", name)])
    guard let arn = result.value("TopicArn") else {
      throw AWSError.malformedResponse(service: "SNS", detail: "CreateTopic without TopicArn")
    }
    return arn
  }
}
