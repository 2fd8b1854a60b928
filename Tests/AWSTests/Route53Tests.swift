import AWS
import FailoverCore
import Foundation
import Testing

@Suite("Route53 client against moto_server (signature checking on)", .serialized)
struct Route53Tests {
  static let moto = MotoServer()

  private func zone(_ context: MotoContext, _ name: String = "example.com") async throws -> String {
    try await context.route53().createHostedZone(name: name, callerReference: UUID().uuidString).id
  }

  @Test(
    "Given a hosted zone, when looked up by domain, then its id comes back; an unknown domain is not found")
  func hostedZoneByDomain() async throws {
    let context = try await MotoContext.make(Self.moto)
    let route53 = context.route53()
    let id = try await zone(context)
    _ = try await zone(context, "other.org")

    #expect(try await route53.hostedZoneID(forDomain: "example.com") == id)
    #expect(try await route53.hostedZoneID(forDomain: "example.com.") == id)
    let error = await #expect(throws: AWSError.self) {
      try await route53.hostedZoneID(forDomain: "missing.net")
    }
    #expect(error?.description.contains("no hosted zone for missing.net") == true)
  }

  @Test(
    "Given a zone, when simple, failover, weighted and alias records are created, then they list back as sent"
  )
  func recordKinds() async throws {
    let context = try await MotoContext.make(Self.moto)
    let route53 = context.route53()
    let zoneID = try await zone(context)
    let check = try await route53.createHealthCheck(
      callerReference: "hc-\(UUID().uuidString)",
      config: HealthCheckConfig(type: "HTTPS", fullyQualifiedDomainName: "primary.example.net", port: 443))
    let records = [
      DNSRecord(name: "www.example.com", type: "A", ttl: 300, values: ["192.0.2.1", "192.0.2.2"]),
      DNSRecord(
        name: "api.example.com", type: "CNAME", ttl: 60, values: ["primary.example.net"],
        routing: .failover(role: .primary, setIdentifier: "api-primary"), healthCheckID: check.id),
      DNSRecord(
        name: "api.example.com", type: "CNAME", ttl: 60, values: ["secondary.example.net"],
        routing: .failover(role: .secondary, setIdentifier: "api-secondary")),
      DNSRecord(
        name: "app.example.com", type: "A", ttl: 30, values: ["198.51.100.1"],
        routing: .weighted(weight: 100, setIdentifier: "app-east")),
      DNSRecord(
        name: "app.example.com", type: "A", ttl: 30, values: ["198.51.100.2"],
        routing: .weighted(weight: 0, setIdentifier: "app-west")),
      DNSRecord(
        name: "edge.example.com", type: "A",
        alias: .init(
          hostedZoneID: "Z35SXDOTRQ7X7K", dnsName: "lb-1.us-east-1.elb.amazonaws.com",
          evaluateTargetHealth: true)),
    ]

    let receipt = try await route53.submit(
      DNSChangeBatch(zoneID: zoneID, comment: "kinds", changes: records.map { DNSChange(.create, $0) }))
    try await route53.waitUntilInSync(changeID: receipt.id, timeout: 30, pollInterval: 0.2)

    let listed = try await route53.listResourceRecordSets(zoneID: zoneID).filter {
      $0.type != "SOA" && $0.type != "NS"
    }
    #expect(Set(listed) == Set(records))
    #expect(try await route53.records(zoneID: zoneID, name: "api.example.com").count == 2)
    #expect(try await route53.changeStatus(id: receipt.id) == .inSync)
  }

  @Test("Given a record, when UPSERTed with a new TTL and then DELETEd, then the listing follows")
  func upsertAndDelete() async throws {
    let context = try await MotoContext.make(Self.moto)
    let route53 = context.route53()
    let zoneID = try await zone(context)
    var record = DNSRecord(name: "www.example.com", type: "A", ttl: 300, values: ["192.0.2.1"])
    _ = try await route53.submit(DNSChangeBatch(zoneID: zoneID, changes: [DNSChange(.create, record)]))

    record.ttl = 60
    _ = try await route53.submit(DNSChangeBatch(zoneID: zoneID, changes: [DNSChange(.upsert, record)]))
    #expect(try await route53.records(zoneID: zoneID, name: "www.example.com") == [record])

    _ = try await route53.submit(DNSChangeBatch(zoneID: zoneID, changes: [DNSChange(.delete, record)]))
    #expect(try await route53.records(zoneID: zoneID, name: "www.example.com").isEmpty)
  }

  @Test("Given no such zone, when a batch is submitted, then a typed NoSuchHostedZone error arrives at once")
  func missingZone() async throws {
    let context = try await MotoContext.make(Self.moto)
    let record = DNSRecord(name: "www.example.com", type: "A", ttl: 60, values: ["192.0.2.1"])
    let error = await #expect(throws: AWSError.self) {
      try await context.route53().submit(
        DNSChangeBatch(zoneID: "ZNOTTHERE", changes: [DNSChange(.create, record)]))
    }
    guard case .service(let service)? = error else {
      Issue.record("expected a service error without retries, got \(String(describing: error))")
      return
    }
    #expect(service.code == "NoSuchHostedZone")
    #expect(service.httpStatus == 404)
    #expect(service.service == "Route53")
    #expect(service.description.contains("NoSuchHostedZone"))
  }

  @Test("Given a zone, when a batch is invalid, then a 400 validation error comes back without retries")
  func invalidBatch() async throws {
    let context = try await MotoContext.make(Self.moto)
    let route53 = context.route53()
    let zoneID = try await zone(context)
    let record = DNSRecord(name: "www.example.com", type: "A", ttl: 60, values: ["192.0.2.1"])
    _ = try await route53.submit(DNSChangeBatch(zoneID: zoneID, changes: [DNSChange(.create, record)]))

    // AWS answers InvalidChangeBatch to both; moto answers InvalidInput to the DELETE.
    let ghost = DNSRecord(name: "ghost.example.com", type: "A", ttl: 60, values: ["192.0.2.1"])
    for change in [DNSChange(.create, record), DNSChange(.delete, ghost)] {
      let error = await #expect(throws: AWSError.self) {
        try await route53.submit(DNSChangeBatch(zoneID: zoneID, changes: [change]))
      }
      guard case .service(let service)? = error else {
        Issue.record("expected a service error without retries, got \(String(describing: error))")
        continue
      }
      #expect(["InvalidChangeBatch", "InvalidInput"].contains(service.code), "\(change.action): \(service)")
      #expect(service.httpStatus == 400)
      #expect(service.requestID?.isEmpty == false)
    }
    #expect(try await route53.records(zoneID: zoneID, name: "www.example.com") == [record])
  }

  @Test("Given more records than a page holds, when listed with small pages, then every record arrives once")
  func paging() async throws {
    let context = try await MotoContext.make(Self.moto)
    let route53 = context.route53()
    let zoneID = try await zone(context)
    let records = (1...7).map {
      DNSRecord(name: "host\($0).example.com", type: "A", ttl: 60, values: ["192.0.2.\($0)"])
    }
    _ = try await route53.submit(
      DNSChangeBatch(zoneID: zoneID, changes: records.map { DNSChange(.create, $0) }))

    let listed = try await route53.listResourceRecordSets(zoneID: zoneID, maxItems: 2)
    let hosts = listed.filter { $0.name.hasPrefix("host") }
    #expect(hosts.count == 7)
    #expect(Set(hosts) == Set(records))
  }

  @Test(
    "Given a server that repeats a page (moto ignores the identifier), when listing, then it stops with an error"
  )
  func repeatedPageGuard() async throws {
    let context = try await MotoContext.make(Self.moto)
    let route53 = context.route53()
    let zoneID = try await zone(context)
    let records = (1...3).map {
      DNSRecord(
        name: "w.example.com", type: "A", ttl: 60, values: ["192.0.2.\($0)"],
        routing: .weighted(weight: $0, setIdentifier: "w\($0)"))
    }
    _ = try await route53.submit(
      DNSChangeBatch(zoneID: zoneID, changes: records.map { DNSChange(.create, $0) }))

    let error = await #expect(throws: AWSError.self) {
      try await route53.listResourceRecordSets(zoneID: zoneID, startName: "w.example.com", maxItems: 1)
    }
    #expect(error?.description.contains("repeated the page") == true)
  }

  @Test(
    "Given a health check, when created, read, updated, checked and deleted, then each step shows its effect")
  func healthCheckLifecycle() async throws {
    let context = try await MotoContext.make(Self.moto)
    let route53 = context.route53()
    let config = HealthCheckConfig(
      type: "HTTPS", fullyQualifiedDomainName: "primary.example.net", port: 443, resourcePath: "/health",
      requestInterval: 30, failureThreshold: 3, enableSNI: true)
    let created = try await route53.createHealthCheck(callerReference: "switchboard-api/1", config: config)
    #expect(created.callerReference == "switchboard-api/1")
    #expect(created.config == config)

    let read = try await route53.getHealthCheck(id: created.id)
    #expect(read.config == config)
    #expect(try await route53.listHealthChecks().map(\.id) == [created.id])

    let updated = try await route53.updateHealthCheck(
      id: created.id, HealthCheckUpdate(failureThreshold: 5, inverted: true, disabled: true))
    #expect(updated.config.failureThreshold == 5)
    #expect(updated.config.inverted)
    #expect(updated.config.disabled)
    #expect(try await route53.getHealthCheck(id: created.id).config.inverted)

    let observations = try await route53.healthCheckObservations(id: created.id)
    let verdict = try await route53.healthCheckVerdict(id: created.id)
    #expect(verdict.totalCheckers == observations.count)
    #expect(verdict.healthyCheckers == observations.filter(\.isHealthy).count)
    #expect(verdict.totalCheckers >= 1)

    try await route53.deleteHealthCheck(id: created.id)
    let error = await #expect(throws: AWSError.self) { try await route53.getHealthCheck(id: created.id) }
    #expect(error?.code == "NoSuchHealthCheck")
  }
}
