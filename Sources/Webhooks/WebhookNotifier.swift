import FailoverCore
import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Posts each notification as JSON (`WebhookPayload`) to a webhook (Slack incoming webhook, chat bridge,
/// incident tool). Any answer other than 2xx, a timeout or a connection failure is an error; the engine's
/// notification delivery retries and records it.
public struct WebhookNotifier: Notifier {
  /// Where notifications are posted.
  public let url: URL
  /// Seconds a post may take before it counts as failed.
  public let timeout: TimeInterval
  private let session: URLSession

  /// A notifier posting to `url`, giving up on one post after `timeout` seconds.
  public init(url: URL, timeout: TimeInterval = 10, session: URLSession = .shared) {
    self.url = url
    self.timeout = timeout
    self.session = session
  }

  /// A notifier for a configured URL text; an error when it is not an absolute http(s) URL.
  public init(parsing text: String, timeout: TimeInterval = 10) throws(WebhookError) {
    guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
      scheme == "http" || scheme == "https",
      url.host != nil
    else {
      throw WebhookError(
        "The webhook URL is not an absolute http or https URL; check notifications.webhook.url "
          + "or SWITCHBOARD_WEBHOOK_URL.")
    }
    self.init(url: url, timeout: timeout)
  }

  /// The webhook without its path and query (which often hold a secret), for messages.
  public var shownAddress: String {
    var components = URLComponents()
    components.scheme = url.scheme
    components.host = url.host
    components.port = url.port
    return (components.string ?? "the webhook") + "/…"
  }

  public func notify(_ notification: FailoverNotification) async throws {
    var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
    request.httpMethod = "POST"
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.setValue("application/json", forHTTPHeaderField: "Accept")
    request.httpBody = try WebhookPayload(notification).encoded()
    let response: URLResponse
    do {
      (_, response) = try await session.data(for: request)
    } catch {
      throw WebhookError(
        "The webhook at \(shownAddress) could not be reached within \(Int(timeout)) s "
          + "(\(Self.reason(error))); check that it is up and reachable from Switchboard.")
    }
    guard let http = response as? HTTPURLResponse else {
      throw WebhookError("The webhook at \(shownAddress) did not answer over HTTP.")
    }
    guard (200..<300).contains(http.statusCode) else {
      throw WebhookError(
        "The webhook at \(shownAddress) answered HTTP \(http.statusCode) instead of 2xx; check its logs "
          + "and its URL.", status: http.statusCode)
    }
  }

  /// The transport error without the URL Foundation puts in its description.
  private static func reason(_ error: any Error) -> String {
    if let urlError = error as? URLError {
      switch urlError.code {
      case .timedOut: return "timed out"
      case .cannotConnectToHost: return "connection refused"
      case .cannotFindHost: return "unknown host"
      case .networkConnectionLost: return "connection lost"
      default: return "URL error \(urlError.code.rawValue)"
      }
    }
    return "\(type(of: error))"
  }
}
