import FailoverCore
import Foundation
import Testing

@Suite("Model encoding: compact JSON the store and the API can keep")
struct ModelCodingTests {
  typealias F = Fixtures

  func json<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  @Test("Given a routing state, then its weights encode as an object keyed by region")
  func routingStateIsAnObject() throws {
    let state = RoutingState(service: F.api, weights: [F.east: 0, F.west: 100])
    #expect(try json(state) == #"{"service":"api.example.com","weights":{"us-east-1":0,"us-west-2":100}}"#)
    #expect(try JSONDecoder().decode(RoutingState.self, from: Data(json(state).utf8)) == state)
  }

  @Test("Given scopes and rules, then they encode in their compact text forms and decode back")
  func compactForms() throws {
    #expect(
      try json([OverrideScope.global, .region(F.east), .service(F.api)])
        == #"["global","region:us-east-1","service:api.example.com"]"#)
    #expect(try json([CompositionRule.all, .any, .quorum(2)]) == #"["all","any","quorum 2"]"#)
    let rules = try JSONDecoder().decode([CompositionRule].self, from: Data(#"["any","quorum 3"]"#.utf8))
    #expect(rules == [.any, .quorum(3)])
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(OverrideScope.self, from: Data(#""planet:x""#.utf8))
    }
  }

  @Test("Given an override and a workflow plan, then they survive a JSON round trip unchanged")
  func roundTrips() throws {
    let override = F.override(.force, target: F.west, allowUnhealthy: true)
    let decoder = JSONDecoder()
    #expect(try decoder.decode(Override.self, from: Data(json(override).utf8)) == override)
    let harness = Harness()
    let plan = harness.failoverPlan()
    #expect(try decoder.decode(WorkflowPlan.self, from: Data(json(plan).utf8)) == plan)
  }

  @Test("Given an event time with milliseconds, then the canonical timestamp keeps them in UTC")
  func timestamps() {
    #expect(Event.timestamp(Date(timeIntervalSince1970: 0.25)) == "1970-01-01T00:00:00.250Z")
    #expect(Event.timestamp(Date(timeIntervalSince1970: 1_800_000_000.9996)) == "2027-01-15T08:00:01.000Z")
  }
}
