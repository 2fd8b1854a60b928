import AWS
import Configuration
import FailoverCore
import Foundation
import Switchboard

/// A real `switchboard serve` (the built binary) for the contract tests: AWS is moto_server with signature
/// checking on and the hosted zone `example.com` holding the service's record; the service `api.example.com`
/// runs in two sample regions (child processes), probed every second; the configuration admits three tokens,
/// one per role, made by `TokenFactory` (only their SHA-256 is in the file).
///
/// Variants: `public_status: true`, and an admin token from `SWITCHBOARD_ADMIN_TOKEN`.
final class ContractServer: @unchecked Sendable {
  /// One moto_server for every contract test (reset by each start).
  static let moto = MotoServer()
  /// The configured service.
  static let service = "api.example.com"
  /// Its regions, primary first.
  static let regions = ["us-east-1", "us-west-2"]

  /// The tokens in the configuration, by role; named `contract-viewer`, `contract-operator`, `contract-admin`.
  let tokens: [TokenRole: NewToken]
  /// The admin token given in `SWITCHBOARD_ADMIN_TOKEN`, if any (its name is `admin`).
  let environmentAdminToken: String?
  let serve: ServeProcess
  let primary: SampleRegionProcess
  let secondary: SampleRegionProcess
  /// The configuration as written.
  let config: ServeConfig

  /// Starts moto (once), two sample regions and serve; returns when the API shows both regions probed healthy,
  /// so requests meet a settled engine.
  init(publicStatus: Bool = false, environmentAdminToken: String? = nil, runbookYAML: String = "")
    async throws
  {
    let users = try await Self.freshMoto()
    let motoURL = await Self.moto.url
    _ = try await ExampleZone.create(motoURL: motoURL, tester: users.tester, record: Self.service)

    var tokens: [TokenRole: NewToken] = [:]
    for role in TokenRole.allCases {
      tokens[role] = TokenFactory.make(name: "contract-\(role.rawValue)", role: role)
    }
    self.tokens = tokens
    self.environmentAdminToken = environmentAdminToken

    primary = try await SampleRegionProcess(region: Self.regions[0])
    secondary = try await SampleRegionProcess(region: Self.regions[1])
    var config = ServeConfig(
      primaryHealthURL: primary.healthURL, secondaryHealthURL: secondary.healthURL,
      directory: try ChildProcess.temporaryDirectory("contract"))
    config.service = Self.service
    config.serviceRunbookYAML = runbookYAML
    config.awsEndpoint = motoURL.absoluteString
    let lines = TokenRole.allCases.compactMap { tokens[$0]?.yamlLine }.map { "    \($0)" }
    config.extraYAML = "auth:\n  tokens:\n" + lines.joined(separator: "\n") + "\n"
    if publicStatus { config.extraYAML += "public_status: true\n" }
    self.config = config

    var environment = [
      "AWS_ACCESS_KEY_ID": users.switchboard.accessKeyID,
      "AWS_SECRET_ACCESS_KEY": users.switchboard.secretAccessKey,
    ]
    if let environmentAdminToken { environment["SWITCHBOARD_ADMIN_TOKEN"] = environmentAdminToken }
    serve = try await ServeProcess(
      config: try config.write(), environment: try SwitchboardBinary.isolatedEnvironment(environment))
    let deadline = Date().addingTimeInterval(60)
    var last = "no answer"
    while Date() < deadline {
      if let answer = try? await call("GET", "/api/v1/services/\(Self.service)", token: token(.viewer)) {
        last = answer.description
        if Self.everyRegionHealthy(answer) { return }
      }
      try await Task.sleep(nanoseconds: 100_000_000)
    }
    let output = serve.output
    stop()
    throw HarnessError(
      "serve did not see \(Self.service) healthy in every region within 60 s; last answer:\n\(last)\n\(output)"
    )
  }

  /// Whether a service document shows every region probed healthy (so a manual failover meets a known target).
  static func everyRegionHealthy(_ answer: RawHTTP.Answer) -> Bool {
    guard answer.status == 200, let regions = answer.object?["regions"] as? [[String: Any]] else {
      return false
    }
    return regions.count == Self.regions.count
      && regions.allSatisfy { (($0["health"] as? [String: Any])?["status"] as? String) == "healthy" }
  }

  /// Resets moto and makes its users, up to three times: `fresh()` makes them with moto's first few
  /// unauthenticated calls, and a request of the previous test's serve still in flight when it was killed (a
  /// metrics upload) can take one of those, leaving a bootstrap call refused (InvalidClientTokenId).
  static func freshMoto() async throws -> (switchboard: AWSCredentials, tester: AWSCredentials) {
    var lastError: (any Error)?
    for _ in 0..<3 {
      do {
        return try await moto.fresh()
      } catch {
        lastError = error
        try await Task.sleep(nanoseconds: 500_000_000)
      }
    }
    throw lastError!
  }

  /// serve's port on 127.0.0.1.
  var port: Int { serve.port }
  /// `http://127.0.0.1:PORT`.
  var base: String { serve.base }

  /// The secret of the token with `role`.
  func token(_ role: TokenRole) -> String { tokens[role]!.token }

  /// One request, with `Authorization: Bearer TOKEN` when a token is given.
  func call(
    _ method: String, _ target: String, token: String?, headers: [(String, String)] = [],
    body: [UInt8]? = nil
  ) async throws -> RawHTTP.Answer {
    var all = headers
    if let token { all.append(("Authorization", "Bearer \(token)")) }
    return try await RawHTTP.send(port: port, method, target, headers: all, body: body)
  }

  /// A JSON request (`Content-Type: application/json`).
  func call(
    _ method: String, _ target: String, token: String?, json: String, headers: [(String, String)] = []
  ) async throws -> RawHTTP.Answer {
    try await call(
      method, target, token: token, headers: [("Content-Type", "application/json")] + headers,
      body: Array(json.utf8))
  }

  /// The OpenAPI document as this server serves it, parsed.
  func contract() async throws -> OpenAPIContract {
    let answer = try await call("GET", "/openapi.yaml", token: nil)
    guard answer.status == 200 else { throw HarnessError("GET /openapi.yaml: \(answer)") }
    return try OpenAPIContract(yaml: answer.text)
  }

  /// Calls `operation` with realistic parameters and its sample body (with a fresh `Idempotency-Key`).
  func send(_ operation: OpenAPIContract.Operation, token: String?, parameters: [String: String] = [:])
    async throws -> RawHTTP.Answer
  {
    let target = operation.target(parameters)
    guard let body = operation.sampleBody else {
      return try await call(operation.method, target, token: token)
    }
    return try await call(
      operation.method, target, token: token, json: body, headers: [("Idempotency-Key", UUID().uuidString)])
  }

  /// Stops serve and the sample regions (moto stays for the next test).
  func stop() {
    serve.kill()
    primary.stop()
    secondary.stop()
  }

  deinit { stop() }
}
