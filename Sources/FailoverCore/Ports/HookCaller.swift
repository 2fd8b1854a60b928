import Foundation

/// Calls teams' runbook automation over HTTP (the `http_hook` step).
public protocol HookCaller: Sendable {
  /// POSTs `body` (JSON) to the hook, signed and with the idempotency key; returns the answer (any status).
  func call(_ request: HookRequest) async throws -> HookResponse
}

/// One hook call.
public struct HookRequest: Sendable, Hashable {
  /// Where to POST.
  public var url: String
  /// The JSON body: the workflow's context.
  public var body: Data
  /// The same on every attempt of one step of one workflow.
  public var idempotencyKey: String
  /// The environment variable holding the HMAC key, when the hook is signed.
  public var secretEnvironment: String?
  /// The longest the call may take, in seconds.
  public var timeout: Double

  public init(url: String, body: Data, idempotencyKey: String, secretEnvironment: String?, timeout: Double) {
    self.url = url
    self.body = body
    self.idempotencyKey = idempotencyKey
    self.secretEnvironment = secretEnvironment
    self.timeout = timeout
  }
}
