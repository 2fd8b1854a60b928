import Foundation

/// The AWS query protocol (CloudWatch, SNS, ...): form-encoded `Action=…&Version=…` POSTs, XML answers.
public struct AWSQueryClient: Sendable {
  /// Signs, sends and retries.
  public let executor: AWSRequestExecutor
  /// The API version sent with every action (`2010-08-01` for CloudWatch).
  public let version: String

  /// A query-protocol client for one service and API version.
  public init(executor: AWSRequestExecutor, version: String) {
    self.executor = executor
    self.version = version
  }

  /// Calls an action and returns its `<Action>Result` element (or the whole answer when there is none).
  @discardableResult
  public func call(_ action: String, _ parameters: [(String, String)] = []) async throws -> XMLTree {
    let body = URIEncoding.formEncode([("Action", action), ("Version", version)] + parameters)
    let response = try await executor.send(
      action: action, method: "POST", path: "/", body: Data(body.utf8),
      contentType: "application/x-www-form-urlencoded; charset=utf-8")
    guard let tree = XMLTree.parse(response.body) else {
      throw AWSError.malformedResponse(
        service: executor.endpoint.serviceName, detail: "\(action) answered with a body that is not XML")
    }
    return tree.child("\(action)Result") ?? tree
  }
}
