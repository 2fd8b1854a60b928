import AWS
import FailoverCore
import Foundation
import Testing

@Suite("XML, query and report encoding (pure)")
struct ProtocolEncodingTests {
  @Test("Text written into XML is escaped and parses back unchanged")
  func xmlRoundTrip() throws {
    let tricky = "a&b <c> \"d\" 'e' ü"
    var writer = XMLWriter()
    writer.element("Root", attributes: [("xmlns", "urn:x")]) { w in w.element("Value", tricky) }
    #expect(writer.document.contains("a&amp;b &lt;c&gt; &quot;d&quot; &apos;e&apos; ü"))
    let tree = try #require(XMLTree.parse(Data(writer.document.utf8)))
    #expect(tree.value("Value") == tricky)
  }

  @Test("Error bodies of both protocols parse into code, message and request id")
  func errorBodies() throws {
    let route53 = """
      <?xml version="1.0"?>
      <ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type>\
      <Code>NoSuchHostedZone</Code><Message>No hosted zone found with ID: Z1</Message></Error>\
      <RequestId>req-1</RequestId></ErrorResponse>
      """
    let query = """
      <ErrorResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><Error><Type>Sender</Type>\
      <Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>req-2</RequestId></ErrorResponse>
      """
    for (body, code, id) in [(route53, "NoSuchHostedZone", "req-1"), (query, "Throttling", "req-2")] {
      let tree = try #require(XMLTree.parse(Data(body.utf8)))
      let error = try #require(tree.first(named: "Error"))
      #expect(error.value("Code") == code)
      #expect(tree.first(named: "RequestId")?.text == id)
    }
  }

  @Test("Given many data points, then PutMetricData batches respect both the count and the byte limits")
  func metricBatches() throws {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let data = (0..<2500).map {
      MetricDatum(
        name: "M\($0)", dimensions: ["Service": "api"], value: Double($0), unit: "Count", timestamp: now)
    }
    let byCount = try CloudWatchClient.batches(namespace: "Switchboard", data)
    #expect(byCount.count == 3)
    let byBytes = try CloudWatchClient.batches(namespace: "Switchboard", data, maxBytes: 20_000)
    #expect(byBytes.count > 3)
    for batch in byBytes {
      let body = URIEncoding.formEncode([("Action", "PutMetricData"), ("Version", "2010-08-01")] + batch)
      #expect(body.utf8.count <= 20_000)
      #expect(batch.first! == ("Namespace", "Switchboard"))
    }
    let names = byBytes.flatMap { $0.filter { $0.0.hasSuffix(".MetricName") }.map(\.1) }
    #expect(names == data.map(\.name))
  }

  @Test("A failover notification becomes sorted-key JSON with every field")
  func snsMessage() throws {
    let notification = FailoverNotification(
      kind: .blocked, service: "api", fromRegion: "us-east-1", toRegion: nil, reason: "minimum dwell",
      timings: ["detection": 1.5], at: Date(timeIntervalSince1970: 0))
    #expect(
      SNSNotifier.message(notification)
        == #"{"at":"1970-01-01T00:00:00Z","fromRegion":"us-east-1","kind":"blocked","reason":"minimum dwell","#
        + #""service":"api","timings":{"detection":1.5},"toRegion":null}"#)
    #expect(SNSNotifier.subject(notification) == "Failover blocked for api")
  }

  @Test("Shared config files: sections, profiles, comments and indented sub-keys")
  func sharedConfigFile() {
    let file = SharedConfigFile(
      text: """
        # comment
        [default]
        region = us-east-1
        [profile dev]
        services = mine
        ; another comment
        [services mine]
        cloudwatch =
          endpoint_url = http://127.0.0.1:4566
        """)
    #expect(file.configProfile("default")?["region"] == "us-east-1")
    #expect(file.configProfile("dev")?["services"] == "mine")
    #expect(file.servicesSection("mine")?["cloudwatch.endpoint_url"] == "http://127.0.0.1:4566")
  }

  @Test("A change batch renders as one reviewable line per change")
  func reportRendering() {
    let batch = DNSChangeBatch(
      zoneID: "Z1", comment: "demo",
      changes: [
        DNSChange(
          .upsert,
          DNSRecord(
            name: "api.example.com", type: "CNAME", ttl: 60, values: ["a.example.net"],
            routing: .failover(role: .primary, setIdentifier: "p"), healthCheckID: "hc-1")),
        DNSChange(
          .delete,
          DNSRecord(
            name: "edge.example.com", type: "A",
            alias: .init(hostedZoneID: "Z2", dnsName: "lb.example.net", evaluateTargetHealth: true))),
      ])
    #expect(
      ProvisionReport.render(batch) == """
        Route53 change batch for zone Z1 (demo):
          UPSERT api.example.com CNAME failover=PRIMARY set=p ttl=60 values=a.example.net health-check=hc-1
          DELETE edge.example.com A alias=lb.example.net zone=Z2 evaluate-target-health=true
        """)
  }

  @Test("Given checker observations, then the verdict counts successes and applies the >18% rule")
  func healthCheckVerdict() {
    func observations(healthy: Int, of total: Int) -> [HealthCheckObservation] {
      (0..<total).map { index in
        HealthCheckObservation(
          region: "region-\(index)", ipAddress: "192.0.2.\(index)",
          status: index < healthy ? "Success: HTTP Status Code 200, OK" : "Failure: Connection timed out.",
          checkedAt: Date(timeIntervalSince1970: Double(index)))
      }
    }
    let three = Route53Client.verdict(healthCheckID: "hc", observations: observations(healthy: 3, of: 16))
    #expect(three.healthyCheckers == 3)
    #expect(three.totalCheckers == 16)
    #expect(three.isHealthy)
    #expect(three.detail == "region-15: Failure: Connection timed out.")
    #expect(
      !Route53Client.verdict(healthCheckID: "hc", observations: observations(healthy: 2, of: 16)).isHealthy)
    let none = Route53Client.verdict(healthCheckID: "hc", observations: [])
    #expect(!none.isHealthy)
    #expect(none.detail == "no checker has reported yet")
  }
}
