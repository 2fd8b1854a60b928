import Foundation

/// One HTTP exchange's answer.
public struct AWSHTTPResponse: Sendable {
  /// The HTTP status code.
  public var status: Int
  /// Header names lower-cased.
  public var headers: [String: String]
  /// The raw body.
  public var body: Data

  /// An answer as received.
  public init(status: Int, headers: [String: String], body: Data) {
    self.status = status
    self.headers = headers
    self.body = body
  }
}

/// Sends one HTTP request; the seam that keeps signing and retries testable.
public protocol AWSHTTPTransport: Sendable {
  /// Sends the request once. Throws `AWSError.transport` or `.timedOut`; any HTTP status is an answer.
  func send(
    method: String, url: URL, headers: [(String, String)], body: Data, timeout: TimeInterval, service: String
  ) async throws -> AWSHTTPResponse
}
