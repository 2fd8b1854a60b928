import Foundation
import Switchboard
import Testing

/// Spec and server cannot drift apart: every path and method of the served document reaches a handler of the
/// running server (never the router's own 404 or 405), called with realistic parameters from the configuration.
@Suite("API contract: every operation is routed", .serialized)
struct ContractRoutingTests {
  /// Whether an answer came from the router (or the static-file fallback) rather than an operation's handler:
  /// their refusals are plain `about:blank` problems; the API's carry a `urn:switchboard:problem:` type.
  static func unrouted(_ answer: RawHTTP.Answer) -> Bool {
    guard [404, 405].contains(answer.status) else { return false }
    return (answer.object?["type"] as? String ?? "about:blank") == "about:blank"
  }

  @Test("Given the served document, when each operation is called as admin, then a handler answers every one")
  func everyOperationIsRouted() async throws {
    let server = try await ContractServer()
    defer { server.stop() }
    let contract = try await server.contract()
    try #require(!contract.operations.isEmpty)

    var unroutedOperations: [String] = []
    for operation in contract.operations {
      let answer = try await server.send(operation, token: server.token(.admin))
      if Self.unrouted(answer) {
        unroutedOperations.append("\(operation) → \(answer.status) \(answer.text)")
      }
      // The router's answer to a path it knows but a method it does not: never for a spec'd method.
      let options = try await server.call("OPTIONS", operation.target(), token: server.token(.admin))
      let allowed = (options.header("Allow") ?? "").split(separator: ",").map {
        $0.trimmingCharacters(in: .whitespaces).uppercased()
      }
      #expect(allowed.contains(operation.method), "\(operation): OPTIONS says Allow: \(allowed)\n\(options)")
    }
    let report = unroutedOperations.joined(separator: "\n")
    #expect(
      unroutedOperations.isEmpty, "operations in the document that the server does not route:\n\(report)")
    print("ContractRoutingTests: \(contract.operations.count) operations checked")
  }
}
