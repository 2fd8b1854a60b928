import FailoverCore
import Foundation

/// Route53 over its REST-XML API (2013-04-01): zones, record sets, changes and health checks.
///
/// Implements FailoverCore's `DNSProvider` and `HealthCheckStatusSource`.
public struct Route53Client: DNSProvider, HealthCheckStatusSource {
  /// Signs, sends and retries (signing for us-east-1).
  public let executor: AWSRequestExecutor
  private static let base = "/2013-04-01"
  private static let xmlType = "application/xml"

  /// A client for a resolved endpoint (Route53 always signs for us-east-1).
  public init(
    endpoint: URL, credentials: any AWSCredentialProvider,
    transport: any AWSHTTPTransport = URLSessionTransport(),
    retry: RetryPolicy = .standard, observer: (any AWSCallObserver)? = nil
  ) {
    executor = AWSRequestExecutor(
      endpoint: AWSServiceEndpoint(
        serviceName: "Route53", signingName: "route53", region: "us-east-1", url: endpoint),
      credentials: credentials, transport: transport, retry: retry, observer: observer)
  }

  // MARK: Hosted zones

  /// ListHostedZonesByName: zones in name order starting at `dnsName`.
  public func listHostedZonesByName(dnsName: String? = nil, maxItems: Int = 100) async throws -> [HostedZone]
  {
    var query: [(String, String)] = [("maxitems", String(maxItems))]
    if let dnsName { query.append(("dnsname", dnsName)) }
    let tree = try await call("ListHostedZonesByName", "GET", "/hostedzonesbyname", query: query)
    return tree.child("HostedZones")?.children("HostedZone").map(Self.zone) ?? []
  }

  /// The zone whose name is exactly `domain` (public zones first).
  public func hostedZone(forDomain domain: String) async throws -> HostedZone? {
    let wanted = Self.normalized(domain)
    let zones = try await listHostedZonesByName(dnsName: wanted, maxItems: 10)
    let matching = zones.filter { Self.normalized($0.name) == wanted }
    return matching.first { !$0.isPrivate } ?? matching.first
  }

  /// GetHostedZone: the zone with this id (bare or `/hostedzone/…`), or nil when Route53 has none
  /// (`NoSuchHostedZone`).
  public func hostedZone(id: String) async throws -> HostedZone? {
    do {
      let tree = try await call("GetHostedZone", "GET", "/hostedzone/\(Route53XML.bareID(id))")
      guard let zone = tree.child("HostedZone") else { throw malformed("GetHostedZone without HostedZone") }
      return Self.zone(zone)
    } catch let error as AWSError where error.code == "NoSuchHostedZone" {
      return nil
    }
  }

  /// DNSProvider: the id of the zone for a domain, or `notFound`.
  public func hostedZoneID(forDomain domain: String) async throws -> String {
    guard let zone = try await hostedZone(forDomain: domain) else {
      throw AWSError.notFound(
        "Route53 has no hosted zone for \(domain); create it or run bootstrap --create-zone.")
    }
    return zone.id
  }

  /// CreateHostedZone (public); `callerReference` makes a retried create safe.
  public func createHostedZone(name: String, callerReference: String, comment: String? = nil) async throws
    -> HostedZone
  {
    var writer = XMLWriter()
    writer.element("CreateHostedZoneRequest", attributes: [("xmlns", Route53XML.namespace)]) { w in
      w.element("Name", name)
      w.element("CallerReference", callerReference)
      if let comment {
        w.element("HostedZoneConfig") { w in w.element("Comment", comment) }
      }
    }
    let tree = try await call("CreateHostedZone", "POST", "/hostedzone", body: writer.document)
    guard let zone = tree.child("HostedZone") else { throw malformed("CreateHostedZone without HostedZone") }
    return Self.zone(zone)
  }

  /// DeleteHostedZone (the zone must hold only its SOA and NS records).
  public func deleteHostedZone(id: String) async throws {
    _ = try await call("DeleteHostedZone", "DELETE", "/hostedzone/\(Route53XML.bareID(id))")
  }

  // MARK: Record sets

  /// ChangeResourceRecordSets: one atomic batch.
  public func submit(_ batch: DNSChangeBatch) async throws -> DNSChangeReceipt {
    guard !batch.changes.isEmpty else {
      throw AWSError.invalidRequest("a change batch needs at least one change")
    }
    let tree = try await call(
      "ChangeResourceRecordSets", "POST", "/hostedzone/\(Route53XML.bareID(batch.zoneID))/rrset",
      body: Route53XML.changeBatch(batch))
    guard let info = tree.child("ChangeInfo") else {
      throw malformed("ChangeResourceRecordSets without ChangeInfo")
    }
    return try Self.receipt(info)
  }

  /// GetChange.
  public func getChange(id: String) async throws -> DNSChangeReceipt {
    let tree = try await call("GetChange", "GET", "/change/\(Route53XML.bareID(id))")
    guard let info = tree.child("ChangeInfo") else { throw malformed("GetChange without ChangeInfo") }
    return try Self.receipt(info)
  }

  /// DNSProvider: GetChange's status.
  public func changeStatus(id: String) async throws -> DNSChangeStatus {
    try await getChange(id: id).status
  }

  /// Polls GetChange until INSYNC; throws `changeNotInSync` once `timeout` has passed.
  public func waitUntilInSync(changeID: String, timeout: TimeInterval = 300, pollInterval: TimeInterval = 5)
    async throws
  {
    let started = Date()
    while true {
      if try await changeStatus(id: changeID) == .inSync { return }
      let waited = Date().timeIntervalSince(started)
      if waited + pollInterval > timeout {
        throw AWSError.changeNotInSync(changeID: changeID, waitedSeconds: waited)
      }
      try await Task.sleep(nanoseconds: UInt64(pollInterval * 1_000_000_000))
    }
  }

  /// ListResourceRecordSets, following pages; stops with an error if the server sends a page start twice.
  public func listResourceRecordSets(
    zoneID: String, startName: String? = nil, startType: String? = nil, maxItems: Int = 300,
    maxPages: Int = 1000
  ) async throws -> [DNSRecord] {
    try await listResourceRecordSets(
      zoneID: zoneID, startName: startName, startType: startType, maxItems: maxItems, maxPages: maxPages,
      while: { _ in true })
  }

  /// Lists from a start point and stops at the first record that fails `keepGoing` (it is not returned).
  func listResourceRecordSets(
    zoneID: String, startName: String?, startType: String?, maxItems: Int, maxPages: Int,
    while keepGoing: (DNSRecord) -> Bool
  ) async throws -> [DNSRecord] {
    var records: [DNSRecord] = []
    var next: (name: String?, type: String?, identifier: String?) = (startName, startType, nil)
    var seenStarts: Set<String> = []
    for _ in 0..<maxPages {
      var query: [(String, String)] = [("maxitems", String(maxItems))]
      if let name = next.name { query.append(("name", name)) }
      if let type = next.type { query.append(("type", type)) }
      if let identifier = next.identifier { query.append(("identifier", identifier)) }
      let tree = try await call(
        "ListResourceRecordSets", "GET", "/hostedzone/\(Route53XML.bareID(zoneID))/rrset", query: query)
      for node in tree.child("ResourceRecordSets")?.children("ResourceRecordSet") ?? [] {
        let record = Route53XML.record(from: node)
        guard keepGoing(record) else { return records }
        records.append(record)
      }
      guard tree.value("IsTruncated") == "true" else { return records }
      next = (tree.value("NextRecordName"), tree.value("NextRecordType"), tree.value("NextRecordIdentifier"))
      let key = "\(next.name ?? "")|\(next.type ?? "")|\(next.identifier ?? "")"
      guard seenStarts.insert(key).inserted else {
        throw malformed(
          "ListResourceRecordSets repeated the page starting at \(next.name ?? "?") \(next.type ?? "") "
            + "\(next.identifier ?? ""); stopped instead of looping")
      }
    }
    throw malformed("ListResourceRecordSets did not finish within \(maxPages) pages")
  }

  /// DNSProvider: the record sets with exactly this name.
  public func records(zoneID: String, name: String) async throws -> [DNSRecord] {
    let wanted = Self.normalized(name)
    // Route53 lists in name order from startName: the wanted name's sets come first, if any.
    return try await listResourceRecordSets(
      zoneID: zoneID, startName: wanted, startType: nil, maxItems: 100, maxPages: 1000,
      while: { Self.normalized($0.name) == wanted })
  }

  // MARK: Health checks

  /// CreateHealthCheck; `callerReference` identifies the request so a retry does not create a second one.
  public func createHealthCheck(callerReference: String, config: HealthCheckConfig) async throws
    -> HealthCheck
  {
    var writer = XMLWriter()
    writer.element("CreateHealthCheckRequest", attributes: [("xmlns", Route53XML.namespace)]) { w in
      w.element("CallerReference", callerReference)
      Route53XML.healthCheckConfig(config, into: &w)
    }
    let tree = try await call("CreateHealthCheck", "POST", "/healthcheck", body: writer.document)
    guard let node = tree.child("HealthCheck") else {
      throw malformed("CreateHealthCheck without HealthCheck")
    }
    return Route53XML.healthCheck(from: node)
  }

  /// GetHealthCheck.
  public func getHealthCheck(id: String) async throws -> HealthCheck {
    let tree = try await call("GetHealthCheck", "GET", "/healthcheck/\(URIEncoding.encode(id))")
    guard let node = tree.child("HealthCheck") else { throw malformed("GetHealthCheck without HealthCheck") }
    return Route53XML.healthCheck(from: node)
  }

  /// ListHealthChecks, all pages.
  public func listHealthChecks(maxPages: Int = 1000) async throws -> [HealthCheck] {
    var checks: [HealthCheck] = []
    var marker: String?
    var seen: Set<String> = []
    for _ in 0..<maxPages {
      var query: [(String, String)] = [("maxitems", "100")]
      if let marker { query.append(("marker", marker)) }
      let tree = try await call("ListHealthChecks", "GET", "/healthcheck", query: query)
      checks += tree.child("HealthChecks")?.children("HealthCheck").map(Route53XML.healthCheck) ?? []
      guard tree.value("IsTruncated") == "true", let next = tree.value("NextMarker"), !next.isEmpty else {
        return checks
      }
      guard seen.insert(next).inserted else { throw malformed("ListHealthChecks repeated marker \(next)") }
      marker = next
    }
    throw malformed("ListHealthChecks did not finish within \(maxPages) pages")
  }

  /// UpdateHealthCheck.
  public func updateHealthCheck(id: String, _ update: HealthCheckUpdate) async throws -> HealthCheck {
    let tree = try await call(
      "UpdateHealthCheck", "POST", "/healthcheck/\(URIEncoding.encode(id))", body: Route53XML.update(update))
    guard let node = tree.child("HealthCheck") else {
      throw malformed("UpdateHealthCheck without HealthCheck")
    }
    return Route53XML.healthCheck(from: node)
  }

  /// DeleteHealthCheck.
  public func deleteHealthCheck(id: String) async throws {
    _ = try await call("DeleteHealthCheck", "DELETE", "/healthcheck/\(URIEncoding.encode(id))")
  }

  /// ChangeTagsForResource on a health check: adds or overwrites `add`, removes `remove`.
  public func changeHealthCheckTags(id: String, add: [String: String], remove: [String] = []) async throws {
    var writer = XMLWriter()
    writer.element("ChangeTagsForResourceRequest", attributes: [("xmlns", Route53XML.namespace)]) { w in
      if !add.isEmpty {
        w.element("AddTags") { w in
          for key in add.keys.sorted() {
            w.element("Tag") { w in
              w.element("Key", key)
              w.element("Value", add[key]!)
            }
          }
        }
      }
      if !remove.isEmpty {
        w.element("RemoveTagKeys") { w in
          for key in remove { w.element("Key", key) }
        }
      }
    }
    _ = try await call(
      "ChangeTagsForResource", "POST", "/tags/healthcheck/\(URIEncoding.encode(id))", body: writer.document)
  }

  /// ListTagsForResources for health checks (10 ids per request): id → tags.
  public func healthCheckTags(ids: [String]) async throws -> [String: [String: String]] {
    var result: [String: [String: String]] = [:]
    var start = 0
    while start < ids.count {
      let chunk = ids[start..<min(start + 10, ids.count)]
      var writer = XMLWriter()
      writer.element("ListTagsForResourcesRequest", attributes: [("xmlns", Route53XML.namespace)]) { w in
        w.element("ResourceIds") { w in
          for id in chunk { w.element("ResourceId", id) }
        }
      }
      let tree = try await call("ListTagsForResources", "POST", "/tags/healthcheck", body: writer.document)
      for set in tree.child("ResourceTagSets")?.children("ResourceTagSet") ?? [] {
        var tags: [String: String] = [:]
        for tag in set.child("Tags")?.children("Tag") ?? [] {
          if let key = tag.value("Key") { tags[key] = tag.value("Value") ?? "" }
        }
        if let id = set.value("ResourceId") { result[id] = tags }
      }
      start += 10
    }
    return result
  }

  /// GetHealthCheckStatus: each checker's latest observation.
  public func healthCheckObservations(id: String) async throws -> [HealthCheckObservation] {
    let tree = try await call("GetHealthCheckStatus", "GET", "/healthcheck/\(URIEncoding.encode(id))/status")
    let observations = tree.child("HealthCheckObservations")?.children("HealthCheckObservation") ?? []
    return observations.map { node in
      HealthCheckObservation(
        region: node.value("Region") ?? "", ipAddress: node.value("IPAddress") ?? "",
        status: node.path("StatusReport", "Status")?.text ?? "",
        checkedAt: Route53XML.parseDate(node.path("StatusReport", "CheckedTime")?.text))
    }
  }

  /// Route53's verdict: healthy when more than 18% of checkers report success.
  public func healthCheckVerdict(id: String) async throws -> HealthCheckVerdict {
    Self.verdict(healthCheckID: id, observations: try await healthCheckObservations(id: id))
  }

  /// The verdict from checker observations: counts successes; "healthy" is FailoverCore's >18% rule.
  public static func verdict(healthCheckID id: String, observations: [HealthCheckObservation])
    -> HealthCheckVerdict
  {
    let latest = observations.max { ($0.checkedAt ?? .distantPast) < ($1.checkedAt ?? .distantPast) }
    return HealthCheckVerdict(
      healthCheckID: id, healthyCheckers: observations.filter(\.isHealthy).count,
      totalCheckers: observations.count,
      detail: latest.map { "\($0.region): \($0.status)" } ?? "no checker has reported yet")
  }

  // MARK: Plumbing

  private func call(
    _ action: String, _ method: String, _ path: String, query: [(String, String)] = [], body: String? = nil
  ) async throws -> XMLTree {
    let response = try await executor.send(
      action: action, method: method, path: Self.base + path, query: query, body: Data((body ?? "").utf8),
      contentType: Self.xmlType)
    if response.body.isEmpty { return XMLTree(name: "\(action)Response") }
    guard let tree = XMLTree.parse(response.body) else {
      throw malformed("\(action) answered with a body that is not XML")
    }
    return tree
  }

  private func malformed(_ detail: String) -> AWSError {
    .malformedResponse(service: "Route53", detail: detail)
  }

  static func normalized(_ name: String) -> String {
    (name.hasSuffix(".") ? String(name.dropLast()) : name).lowercased()
  }

  private static func zone(_ node: XMLTree) -> HostedZone {
    HostedZone(
      id: Route53XML.bareID(node.value("Id") ?? ""), name: Route53XML.decodeName(node.value("Name") ?? ""),
      callerReference: node.value("CallerReference") ?? "",
      isPrivate: node.path("Config", "PrivateZone")?.text == "true",
      recordCount: node.value("ResourceRecordSetCount").flatMap(Int.init))
  }

  private static func receipt(_ info: XMLTree) throws -> DNSChangeReceipt {
    guard let id = info.value("Id"), let status = info.value("Status").flatMap(DNSChangeStatus.init) else {
      throw AWSError.malformedResponse(service: "Route53", detail: "ChangeInfo without Id or Status")
    }
    return DNSChangeReceipt(
      id: Route53XML.bareID(id), status: status,
      submittedAt: Route53XML.parseDate(info.value("SubmittedAt")) ?? Date())
  }
}
