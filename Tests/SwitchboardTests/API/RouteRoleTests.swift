import Configuration
import FailoverCore
import Foundation
import HTTPServer
import Switchboard
import Testing

/// Each route declares its least role where it is registered, and the declaration is the contract's: a route
/// cannot be added without one, nor drift from `x-required-role`.
@Suite("Route roles")
struct RouteRoleTests {
  /// The role the contract gives an operation: `x-required-role` (with `security: [{}, …]`, the status
  /// documents' public-when-configured reading), or `anyone` for `security: []` without one; nil when it says
  /// neither.
  static func contractRole(_ operation: [String: Any]) -> String? {
    let security = operation["security"] as? [Any]
    let allowsAnonymous = security?.contains { ($0 as? [String: Any])?.isEmpty == true } == true
    if let role = operation["x-required-role"] as? String {
      return allowsAnonymous
        ? (role == "viewer" ? RouteRole.statusReader.rawValue : "\(role) or anyone") : role
    }
    if let security, security.isEmpty { return RouteRole.anyone.rawValue }
    return nil
  }

  @Test("Given the routes serve registers, then each declares the role the contract names for it")
  func declaredRolesMatchTheContract() async throws {
    // The harness's router is the composition root's: every route serve registers but the dashboard's files.
    let routes = try APIHarness().router.guardedRoutes
    let operations = try RouteCoverageTests.contractOperations()
    #expect(routes.count >= 30)

    let undeclared = routes.filter { $0.requirement == nil }.map { "\($0.method.rawValue) \($0.pattern)" }
    #expect(undeclared.isEmpty, "Routes without a declared role: \(undeclared)")
    let known = Set(RouteRole.allCases.map(\.rawValue))
    for route in routes {
      let key = "\(route.method.rawValue) \(route.pattern)"
      guard let declared = route.requirement else { continue }
      #expect(known.contains(declared), "\(key) declares \(declared), which is no RouteRole")
      if route.method == .OPTIONS {
        // CORS preflights are not operations of the contract; browsers send them without credentials.
        #expect(declared == RouteRole.anyone.rawValue, "\(key) declares \(declared)")
        continue
      }
      guard let operation = operations[key] else { continue }  // RouteCoverageTests reports it
      let documented = Self.contractRole(operation)
      #expect(documented != nil, "\(key): the contract names no x-required-role and no security: []")
      #expect(
        declared == documented, "\(key) declares \(declared); the contract says \(documented ?? "nothing")")
    }
  }

  @Test("Given the contract, then every operation names its least role one of the ways routes declare it")
  func contractNamesEveryRole() throws {
    let known = Set(RouteRole.allCases.map(\.rawValue))
    for (key, operation) in try RouteCoverageTests.contractOperations() {
      let role = Self.contractRole(operation)
      #expect(role.map(known.contains) == true, "\(key): \(role ?? "no role")")
    }
  }

  @Test(
    "Given an operator's POST, then the guard authenticates it and the handler records the caller it found as actor"
  )
  func handlerGetsTheGuardsCaller() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    let created = try await api.send(
      .POST, "/api/v1/overrides", token: APIHarness.operatorToken,
      json: #"{"scope":"global","kind":"freeze","reason":"maintenance"}"#)
    #expect(created.status == 201)
    #expect(created.json["actor"] as? String == "grace")
    let session = try await api.send(.GET, "/api/v1/session", token: APIHarness.viewer)
    #expect(session.json["name"] as? String == "ada")
    #expect(session.json["role"] as? String == "viewer")
  }

  @Test("Given public status, then an anonymous reader has no caller and a viewer's token is the caller")
  func statusReaderCaller() throws {
    let access = APIAccess(
      tokens: [AuthToken(name: "ada", role: .viewer, sha256: EnvironmentOverrides.sha256Hex("t1"))],
      publicStatus: true)
    var anonymous = Request(method: .GET, target: "/api/v1/status")
    #expect(access.admit(.statusReader, &anonymous) == nil)
    #expect(anonymous.caller == nil)
    var viewer = Request(method: .GET, target: "/api/v1/status", headers: ["Authorization": "Bearer t1"])
    #expect(access.admit(.statusReader, &viewer) == nil)
    #expect(viewer.caller == Principal(name: "ada", role: .viewer))
    var wrong = Request(method: .GET, target: "/api/v1/status", headers: ["Authorization": "Bearer nope"])
    #expect(access.admit(.statusReader, &wrong)?.status == .unauthorized)
    var refused = Request(method: .GET, target: "/api/v1/overrides", headers: ["Authorization": "Bearer t1"])
    #expect(access.admit(.operator, &refused)?.status == .forbidden)
    #expect(refused.caller == nil)
  }
}
