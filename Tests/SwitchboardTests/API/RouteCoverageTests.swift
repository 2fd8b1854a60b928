import FailoverCore
import Foundation
import HTTPServer
import Switchboard
import Testing
import Yams

/// The contract and the router cannot drift apart: every route `serve` registers is in openapi.yaml.
/// (The contract tests check the other direction against a live server: every documented operation is routed.)
@Suite("Route coverage")
struct RouteCoverageTests {
  /// The contract's operations by `METHOD /path`, each the operation object.
  static func contractOperations() throws -> [String: [String: Any]] {
    let spec = try #require(
      try Yams.load(yaml: String(decoding: OpenAPIRoutes.document, as: UTF8.self)) as? [String: Any])
    let paths = try #require(spec["paths"] as? [String: Any])
    var operations: [String: [String: Any]] = [:]
    for (path, item) in paths {
      for (method, operation) in (item as? [String: Any]) ?? [:] {
        operations["\(method.uppercased()) \(path)"] = (operation as? [String: Any]) ?? [:]
      }
    }
    return operations
  }

  @Test("Given the routes serve registers, then each method and pattern is an operation of the contract")
  func everyRouteIsDocumented() async throws {
    // The harness's router is the composition root's: every route serve registers but the dashboard's files.
    let router = try APIHarness().router
    let documented = Set(try Self.contractOperations().keys)
    // CORS preflights of the status documents are answered but, like every OPTIONS, not listed as operations.
    let served = router.routes.filter { $0.method != .OPTIONS }.map { "\($0.method.rawValue) \($0.pattern)" }
    #expect(served.count >= 25)
    let undocumented = served.filter { !documented.contains($0) }
    #expect(undocumented.isEmpty, "Routes missing from openapi.yaml: \(undocumented)")
  }
}
