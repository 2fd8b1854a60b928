import Configuration
import FailoverCore
import Foundation
import HTTPServer
import Switchboard
import SwitchboardApplication

/// The application as `serve` composes it (`SwitchboardApplication`: a real SQLite store, every route), with its
/// engine on a manual clock, its DNS an in-memory fake and its loops off, called through the router exactly as the
/// server calls it, without sockets.
struct APIHarness {
  static let viewer = "viewer-secret"
  static let operatorToken = "operator-secret"
  static let admin = "admin-secret"

  let clock: EngineManualClock
  let dns: EngineFakeDNS
  let application: SwitchboardApplication
  let directory: URL
  var store: any SwitchboardStore { application.store }
  var engine: Engine { application.engine }
  var router: Router { application.router }

  init(publicStatus: Bool = false) throws {
    try self.init(publicStatus: publicStatus, runbook: nil)
  }

  /// The application with a runbook on the service, its runbook ports, and `sleeper` for workflow waits; reopening
  /// `directory` (a restart) keeps the store, with `dns` carried over.
  init(
    publicStatus: Bool = false, runbook: Runbook?, runbookPorts: RunbookPorts = RunbookPorts(),
    sleeper: (any Sleeper)? = nil, directory existing: URL? = nil,
    clock: EngineManualClock = EngineManualClock(),
    dns: EngineFakeDNS = EngineFakeDNS(records: [EngineFixtures.record("192.0.2.10")]),
    leadership: (any Leadership)? = nil, listen: ListenAddress? = nil
  ) throws {
    self.clock = clock
    self.dns = dns
    directory =
      existing
      ?? FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-api-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var config = EngineFixtures.config(
      primaryURL: EngineTests.primaryURL, secondaryURL: EngineTests.secondaryURL)
    config.services[0].runbook = runbook
    config.storagePath = directory.appendingPathComponent("store.sqlite").path
    config.tokens = [
      AuthToken(name: "ada", role: .viewer, sha256: EnvironmentOverrides.sha256Hex(Self.viewer)),
      AuthToken(name: "grace", role: .operator, sha256: EnvironmentOverrides.sha256Hex(Self.operatorToken)),
      AuthToken(name: "root", role: .admin, sha256: EnvironmentOverrides.sha256Hex(Self.admin)),
    ]
    config.publicStatus = publicStatus
    var options = ApplicationOptions.driven(clock: clock, dns: dns)
    let driven = options.ports
    options.ports = { ports in
      driven(&ports)
      let history = runbookPorts.history ?? ports.runbook.history
      ports.runbook = runbookPorts
      ports.runbook.history = history
      if let sleeper { ports.sleeper = sleeper }
      if let leadership { ports.leadership = leadership }
    }
    if let listen {
      options.listen = [listen]
      options.listens = true
    }
    application = try SwitchboardApplication(config: config, options: options)
  }

  /// Starts the engine and brings both regions to healthy (three rounds).
  func warmUp() async throws {
    try await application.start()
    for _ in 0..<3 { await round(primary: .healthy) }
  }

  /// One observation per region, then a tick, then one second passes.
  func round(primary: HealthStatus, secondary: HealthStatus = .healthy) async {
    await engine.submit(
      Observation(signal: EngineTests.primary, status: primary, reason: "primary \(primary)", at: clock.now))
    await engine.submit(
      Observation(
        signal: EngineTests.secondary, status: secondary, reason: "secondary \(secondary)", at: clock.now))
    await engine.tick()
    clock.advance(1)
  }

  /// Sends a request through the router; `token` nil sends no Authorization header.
  func send(
    _ method: Method, _ target: String, token: String? = APIHarness.admin, json: String? = nil,
    headers: [(String, String)] = [], body raw: String? = nil
  ) async throws -> APIResult {
    var fields = HTTPHeaders()
    if let token { fields.add(name: "Authorization", value: "Bearer \(token)") }
    if json != nil { fields.add(name: "Content-Type", value: "application/json") }
    for (name, value) in headers { fields.add(name: name, value: value) }
    var request = Request(
      method: method, target: target, headers: fields, body: Array((json ?? raw ?? "").utf8))
    guard case .found(let handler, let parameters, _) = router.match(method, path: request.path) else {
      throw EngineFakeError(description: "No route for \(method) \(request.path)")
    }
    request.parameters = parameters
    let response: Response
    switch handler {
    case .sync(let function): response = try function(request)
    case .async(let function): response = try await function(request)
    }
    guard case .bytes(let body) = response.body else { return APIResult(response: response, body: []) }
    return APIResult(response: response, body: body)
  }

  /// Waits (bounded) until workflows in flight have finished.
  func settle() async { await engine.waitForWorkflows() }
}

/// A response with its body parsed on demand.
struct APIResult {
  let response: Response
  let body: [UInt8]

  var status: Int { response.status.code }
  var text: String { String(decoding: body, as: UTF8.self) }
  var json: [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
  }
  func header(_ name: String) -> String? { response.headers[name] }
}
