import Foundation

/// The AWS JSON 1.1 protocol (ECS, ...): POST `/` with `X-Amz-Target: <prefix>.<Action>` and a JSON body; JSON
/// answers, errors as `{"__type": …, "message": …}`.
public struct AWSJSONClient: Sendable {
  /// Signs, sends and retries.
  public let executor: AWSRequestExecutor
  /// The target prefix (`AmazonEC2ContainerServiceV20141113` for ECS).
  public let targetPrefix: String

  /// A JSON 1.1 client for one service endpoint.
  public init(executor: AWSRequestExecutor, targetPrefix: String) {
    self.executor = executor
    self.targetPrefix = targetPrefix
  }

  /// Calls an action with an encodable input and decodes its answer.
  public func call<Input: Encodable, Output: Decodable>(
    _ action: String, _ input: Input, as output: Output.Type
  ) async throws -> Output {
    let body = try JSONEncoder().encode(input)
    let response = try await executor.send(
      action: action, method: "POST", path: "/", body: body, contentType: "application/x-amz-json-1.1",
      extraHeaders: [("X-Amz-Target", "\(targetPrefix).\(action)")])
    do {
      return try JSONDecoder().decode(Output.self, from: response.body)
    } catch {
      throw AWSError.malformedResponse(
        service: executor.endpoint.serviceName, detail: "\(action) answered with unexpected JSON: \(error)")
    }
  }
}
