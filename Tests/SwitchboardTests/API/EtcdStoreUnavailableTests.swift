import Configuration
import FailoverCore
import Foundation
import HTTPServer
import Switchboard
import SwitchboardApplication
import TestPeers
import Testing

@Suite("API on an etcd store that no member answers")
struct EtcdStoreUnavailableTests {
  @Test(
    "Given storage.backend etcd and no member answering, when events are listed, then the API answers 503 problem+json naming the members"
  )
  func unreachableEtcdIs503() async throws {
    let port = try freeLoopbackPort()
    var config = EngineFixtures.config(
      primaryURL: EngineTests.primaryURL, secondaryURL: EngineTests.secondaryURL)
    config.storageBackend = .etcd
    config.etcd = EtcdSettings(endpoints: ["http://127.0.0.1:\(port)"], requestTimeout: 0.5)
    config.tokens = [
      AuthToken(name: "root", role: .admin, sha256: EnvironmentOverrides.sha256Hex("admin-secret"))
    ]
    let application = try SwitchboardApplication(
      config: config, options: .driven(clock: EngineManualClock(), dns: EngineFakeDNS(records: [])))
    var fields = HTTPHeaders()
    fields.add(name: "Authorization", value: "Bearer admin-secret")
    var request = Request(method: .GET, target: "/api/v1/events", headers: fields, body: [])
    guard case .found(let handler, let parameters, _) = application.router.match(.GET, path: request.path),
      case .async(let function) = handler
    else {
      Issue.record("no async route for GET /api/v1/events")
      return
    }
    request.parameters = parameters

    let response = try await function(request)

    #expect(response.status.code == 503)
    #expect(response.headers["Content-Type"] == "application/problem+json")
    guard case .bytes(let body) = response.body else {
      Issue.record("expected a body")
      return
    }
    let text = String(decoding: body, as: UTF8.self)
    #expect(text.contains("No etcd member answered"), "\(text)")
    #expect(text.contains("127.0.0.1:\(port)"), "\(text)")
  }
}
