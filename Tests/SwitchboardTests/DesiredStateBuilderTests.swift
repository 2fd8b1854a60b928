import AWS
import Configuration
import FailoverCore
import Foundation
import Provisioning
import Switchboard
import Testing

/// The desired records follow the recorded routing state, under the one set-identifier naming.
@Suite("DesiredStateBuilder: records from the routing state")
struct DesiredStateBuilderTests {
  static let yaml = """
    regions:
      - id: us-east-1
      - id: us-west-2
    services:
      - id: web
        dns_name: www.example.com
        hosted_zone: example.com
        record_type: CNAME
        routing: weighted
        regions:
          - region: us-east-1
            target: web-east.example.net
            weight: 60
            signals: [{type: http, url: "https://web-east.example.net/health"}]
          - region: us-west-2
            target: web-west.example.net
            weight: 40
            signals: [{type: http, url: "https://web-west.example.net/health"}]
      - id: api
        dns_name: api.example.com
        hosted_zone: example.com
        hosted_zone_id: Z0SECOND
        regions:
          - region: us-east-1
            target: 192.0.2.10
            signals: [{type: http, url: "http://192.0.2.10/health"}]
          - region: us-west-2
            target: 192.0.2.20
            signals: [{type: http, url: "http://192.0.2.20/health"}]
    """

  @Test(
    "Given a recorded failover of both services, when built, then the records say where traffic is now, under canonical set identifiers that replace the legacy ones"
  )
  func recordsFollowTheRoutingState() throws {
    let config = try SwitchboardConfig.parse(yaml: Self.yaml)
    let states = try DesiredStateBuilder(
      config: config,
      routing: [
        "web": RoutingState(service: "web", weights: ["us-east-1": 0, "us-west-2": 40]),
        "api": .single("api", "us-west-2"),
      ],
      zoneIDOrigins: ["api": "config.yaml:31:25"]
    ).build()

    #expect(states.count == 2, "two zones of one name, told apart by the id: \(states)")
    let web = try #require(states.first { $0.zoneID == nil })
    #expect(
      Set(
        web.records.map {
          "\($0.record.setIdentifier ?? "-") \($0.record.routing) \($0.legacySetIdentifier ?? "-")"
        })
        == [
          "web/us-east-1 weighted(weight: 0, setIdentifier: \"web/us-east-1\") us-east-1",
          "web/us-west-2 weighted(weight: 40, setIdentifier: \"web/us-west-2\") us-west-2",
        ])
    #expect(web.records.allSatisfy { $0.healthCheckKey != nil })
    let api = try #require(states.first { $0.zoneID == "Z0SECOND" })
    #expect(api.zoneIDOrigin == "config.yaml:31:25")
    #expect(api.records.map(\.record.values) == [["192.0.2.20"]])
    #expect(api.records.first?.legacySetIdentifier == nil)
  }

  @Test(
    "Given nothing recorded, when built, then the records follow the configuration: the primary and the weights"
  )
  func configuredRoutingWithoutAStore() throws {
    let config = try SwitchboardConfig.parse(yaml: Self.yaml)
    let states = try DesiredStateBuilder(config: config).build()
    let records = states.flatMap(\.records).map(\.record)
    #expect(records.contains { $0.routing == .weighted(weight: 60, setIdentifier: "web/us-east-1") })
    #expect(records.contains { $0.name == "api.example.com" && $0.values == ["192.0.2.10"] })
  }
}
