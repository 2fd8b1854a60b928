import FailoverCore
import Foundation
import Switchboard
import Testing

/// Manual failover and failback through the API, the workflow record, and the safety rules that refuse.
@Suite("API failover")
struct FailoverAPITests {
  @Test(
    "Given healthy regions, when an operator fails over, then 202 names the workflow and its record has steps and times"
  )
  func manualFailover() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    let accepted = try await api.send(
      .POST, "/api/v1/services/api.example.com/failover", token: APIHarness.operatorToken,
      json: #"{"target_region":"us-west-2","reason":"region maintenance"}"#)
    #expect(accepted.status == 202, "\(accepted.text)")
    let id = try #require(accepted.json["workflow_id"] as? String)
    #expect(accepted.header("Location") == "/api/v1/workflows/\(id)")
    #expect((accepted.json["decision"] as? [String: Any])?["outcome"] as? String == "initiate")
    await api.settle()

    #expect(await api.dns.values(of: "api.example.com") == ["192.0.2.20"])
    let page = try await api.send(
      .GET, "/api/v1/services/api.example.com/workflows", token: APIHarness.viewer)
    let workflows = (page.json["workflows"] as? [[String: Any]]) ?? []
    #expect(workflows.count == 1)
    let workflow = try await api.send(.GET, "/api/v1/workflows/\(id)")
    #expect(workflow.json["state"] as? String == "succeeded")
    #expect((workflow.json["plan"] as? [String: Any])?["actor"] as? String == "grace")
    let steps = (workflow.json["steps"] as? [[String: Any]])?.compactMap { $0["step"] as? String } ?? []
    #expect(steps.contains("changeDNS") && steps.contains("verifyRecord"))
    let timings = (workflow.json["timings"] as? [String: Double]) ?? [:]
    #expect(timings["dns_change_accepted"] != nil && timings["finished"] != nil, "\(timings)")

    let state = try await api.send(.GET, "/api/v1/services/api.example.com/failover")
    #expect(state.json["active_region"] as? String == "us-west-2")
    #expect((state.json["last_workflow"] as? [String: Any])?["id"] as? String == id)
  }

  @Test(
    "Given a move moments ago, when failback is asked, then 409 names minimumDwell; break-glass overrides it")
  func dwellRefusesThenBreakGlass() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    let first = try await api.send(
      .POST, "/api/v1/services/api.example.com/failover",
      json: #"{"target_region":"us-west-2","reason":"drill"}"#)
    #expect(first.status == 202)
    await api.settle()

    let refused = try await api.send(
      .POST, "/api/v1/services/api.example.com/failback", json: #"{"reason":"back home"}"#)
    #expect(refused.status == 409)
    #expect(refused.json["refused_by"] as? [String] == ["rule:minimumDwell"])
    #expect((refused.json["detail"] as? String)?.contains("minimum dwell") == true)

    let forced = try await api.send(
      .POST, "/api/v1/services/api.example.com/failback",
      json: #"{"reason":"back home","override_rules":["minimumDwell"]}"#)
    #expect(forced.status == 202, "\(forced.text)")
    #expect(forced.json["break_glass"] as? [String] == ["minimumDwell"])
    let explanation = (forced.json["decision"] as? [String: Any])?["explanation"] as? String ?? ""
    #expect(explanation.contains("set aside by the operator: minimumDwell"))
    await api.settle()
    #expect(await api.dns.values(of: "api.example.com") == ["192.0.2.10"])
  }

  @Test(
    "Given bad requests, then unknown services are 404, unknown regions 422, bad rules 400, and DNS is untouched"
  )
  func refusals() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    let unknownService = try await api.send(
      .POST, "/api/v1/services/nope.example.com/failover",
      json: #"{"target_region":"us-west-2","reason":"x"}"#)
    #expect(unknownService.status == 404)
    let unknownRegion = try await api.send(
      .POST, "/api/v1/services/api.example.com/failover", json: #"{"target_region":"mars-1","reason":"x"}"#)
    #expect(unknownRegion.status == 422)
    let badRule = try await api.send(
      .POST, "/api/v1/services/api.example.com/failover",
      json: #"{"target_region":"us-west-2","reason":"x","override_rules":["yolo"]}"#)
    #expect(badRule.status == 400)
    #expect(badRule.text.contains("yolo is not a safety rule"))
    let inPlace = try await api.send(
      .POST, "/api/v1/services/api.example.com/failback", json: #"{"reason":"already there"}"#)
    #expect(inPlace.status == 200)
    #expect(inPlace.json["workflow_id"] is NSNull)
    #expect(await api.dns.submissions.isEmpty)
  }

  @Test(
    "Given an unhealthy secondary, when an operator fails over to it, then neverRouteToUnhealthyTarget refuses"
  )
  func unhealthyTarget() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    for _ in 0..<3 { await api.round(primary: .healthy, secondary: .unhealthy) }
    let refused = try await api.send(
      .POST, "/api/v1/services/api.example.com/failover", json: #"{"target_region":"us-west-2","reason":"x"}"#
    )
    #expect(refused.status == 409)
    #expect(refused.json["refused_by"] as? [String] == ["rule:neverRouteToUnhealthyTarget"])
  }
}
