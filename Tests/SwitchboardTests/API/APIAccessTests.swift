import Configuration
import FailoverCore
import Foundation
import HTTPServer
import Switchboard
import Testing

/// Bearer tokens and roles, as every API operation applies them.
@Suite("API access control")
struct APIAccessTests {
  @Test("Given no token, a wrong token or another scheme, then 401 problem+json with WWW-Authenticate")
  func unauthenticated() async throws {
    let api = try APIHarness()
    for token: String? in [nil, "not-a-token"] {
      let result = try await api.send(.GET, "/api/v1/services", token: token)
      #expect(result.status == 401)
      #expect(result.header("Content-Type") == "application/problem+json")
      #expect(result.header("WWW-Authenticate") == #"Bearer realm="switchboard""#)
      #expect(result.json["type"] as? String == "urn:switchboard:problem:unauthorized")
    }
    let basic = try await api.send(
      .GET, "/api/v1/services", token: nil, headers: [("Authorization", "Basic YWRtaW46YWRtaW4=")])
    #expect(basic.status == 401)
    #expect((basic.json["detail"] as? String)?.contains("Bearer") == true)
  }

  @Test(
    "Given each role, then reads need viewer, mutations operator, reload admin (403 names the role needed)")
  func roles() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    #expect(try await api.send(.GET, "/api/v1/services", token: APIHarness.viewer).status == 200)

    let create = #"{"scope":"global","kind":"freeze","reason":"maintenance"}"#
    let refused = try await api.send(.POST, "/api/v1/overrides", token: APIHarness.viewer, json: create)
    #expect(refused.status == 403)
    #expect(refused.json["required_role"] as? String == "operator")
    #expect(refused.json["role"] as? String == "viewer")
    #expect(
      try await api.send(.POST, "/api/v1/overrides", token: APIHarness.operatorToken, json: create).status
        == 201)

    let reload = try await api.send(.POST, "/api/v1/configuration/reload", token: APIHarness.operatorToken)
    #expect(reload.status == 403)
    #expect(reload.json["required_role"] as? String == "admin")
    // Admin passes the role check; this harness has no file to re-read.
    #expect(try await api.send(.POST, "/api/v1/configuration/reload", token: APIHarness.admin).status == 503)
  }

  @Test("Given a reload that drops a token, then the token stops working at once")
  func reloadReplacesTokens() throws {
    let access = APIAccess(
      tokens: [AuthToken(name: "ci", role: .operator, sha256: EnvironmentOverrides.sha256Hex("t1"))],
      publicStatus: false)
    let request = Request(method: .GET, target: "/", headers: ["Authorization": "Bearer t1"])
    #expect(throws: Never.self) { try access.require(.operator, request) }
    access.reload(tokens: [], publicStatus: true)
    #expect(throws: APIError.self) { try access.require(.viewer, request) }
    #expect(access.publicStatus)
  }

  @Test("Given public status, then status readers need no token, but a wrong token is still refused")
  func publicStatus() throws {
    let access = APIAccess(tokens: [], publicStatus: true)
    #expect(try access.requireStatusReader(Request(method: .GET, target: "/api/v1/status")) == nil)
    let wrong = Request(method: .GET, target: "/api/v1/status", headers: ["Authorization": "Bearer nope"])
    #expect(throws: APIError.self) { try access.requireStatusReader(wrong) }
  }

  @Test("Given tokens of equal and different digests, then the authenticator finds exactly the right one")
  func authenticatorMatchesWholeDigest() {
    let tokens = (0..<20).map {
      AuthToken(name: "t\($0)", role: .viewer, sha256: EnvironmentOverrides.sha256Hex("secret-\($0)"))
    }
    let authenticator = TokenAuthenticator(tokens: tokens)
    let request = Request(method: .GET, target: "/", headers: ["Authorization": "bearer  secret-13 "])
    #expect(authenticator.authenticate(request) == .authenticated(Principal(name: "t13", role: .viewer)))
    let near = Request(method: .GET, target: "/", headers: ["Authorization": "Bearer secret-1"])
    #expect(authenticator.authenticate(near) == .authenticated(Principal(name: "t1", role: .viewer)))
    let none = Request(method: .GET, target: "/", headers: ["Authorization": "Bearer secret-99"])
    #expect(authenticator.authenticate(none) == .rejected("The bearer token is not valid."))
    #expect(authenticator.tokenCount == 20)
  }
}
