import Crypto
import FailoverCore
import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The `http_hook` runbook step's caller: POSTs the workflow's context as JSON with
/// `X-Switchboard-Signature: sha256=<hex HMAC-SHA256 of the body>` (when the step names a secret) and
/// `Idempotency-Key`; returns any answer with its body cut to `HookResponse.bodyLimit` bytes.
public struct HTTPHookCaller: HookCaller {
  /// The header carrying the signature.
  public static let signatureHeader = "X-Switchboard-Signature"
  private let environment: @Sendable (String) -> String?
  private let session: URLSession

  /// A caller reading signing keys from `environment` (the process's by default).
  public init(
    environment: @escaping @Sendable (String) -> String? = { ProcessInfo.processInfo.environment[$0] },
    session: URLSession = .shared
  ) {
    self.environment = environment
    self.session = session
  }

  /// `sha256=<hex>`: the signature of `body` under `key`, as the header carries it.
  public static func signature(of body: Data, key: String) -> String {
    let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(key.utf8)))
    return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
  }

  public func call(_ hook: HookRequest) async throws -> HookResponse {
    guard let url = URL(string: hook.url) else {
      throw WebhookError("The hook URL \(hook.url) is not a URL.")
    }
    var request = URLRequest(
      url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: hook.timeout)
    request.httpMethod = "POST"
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.setValue(hook.idempotencyKey, forHTTPHeaderField: "Idempotency-Key")
    if let name = hook.secretEnvironment {
      guard let key = environment(name), !key.isEmpty else {
        throw WebhookError("The hook's signing key variable \(name) is not set in Switchboard's environment.")
      }
      request.setValue(Self.signature(of: hook.body, key: key), forHTTPHeaderField: Self.signatureHeader)
    }
    request.httpBody = hook.body
    let data: Data
    let response: URLResponse
    do {
      (data, response) = try await session.data(for: request)
    } catch {
      throw WebhookError("The hook \(hook.url) could not be reached within \(Int(hook.timeout)) s: \(error)")
    }
    guard let http = response as? HTTPURLResponse else {
      throw WebhookError("The hook \(hook.url) did not answer over HTTP.")
    }
    let body = String(decoding: data.prefix(HookResponse.bodyLimit), as: UTF8.self)
    return HookResponse(status: http.statusCode, body: body, idempotencyKey: hook.idempotencyKey)
  }
}
