import FailoverCore
import Foundation
import Yams

// The regions, services, their placements and signals: the parts of the file that describe what is protected.
extension ConfigDecoder {
  func decodeRegion(_ node: Node, path: String) -> Region? {
    guard let region = MappingReader(node, path: path, problems: problems) else { return nil }
    region.allowKeys(["id", "signals"])
    let signals = decodeSignals(region, path: path)
    guard let id = region.string("id", required: "the region's name, e.g. us-east-1") else { return nil }
    return Region(id: RegionID(id), signals: signals)
  }

  func decodeService(_ node: Node, path: String) -> (Service?, [Node]) {
    guard let service = MappingReader(node, path: path, problems: problems) else { return (nil, []) }
    service.allowKeys([
      "id", "dns_name", "hosted_zone", "hosted_zone_id", "record_type", "ttl", "routing", "health_rule",
      "regions", "runbook", "provider",
    ])
    let dnsName = service.string("dns_name", required: "the record name, e.g. api.example.com")
    let zone = service.string("hosted_zone", required: "the hosted zone's domain, e.g. example.com")
    let id = service.string("id") ?? dnsName
    var recordType = "A"
    if let text = service.string("record_type") {
      if ["A", "AAAA", "CNAME"].contains(text.uppercased()) {
        recordType = text.uppercased()
      } else {
        problems.add(
          service.value("record_type")?.mark,
          "`\(service.path("record_type"))` must be A, AAAA or CNAME, not \"\(text)\".")
      }
    }
    let ttl = service.int("ttl", in: 0...604_800) ?? 60
    var mode = RoutingMode.record
    if let text = service.string("routing") {
      if let parsed = RoutingMode(rawValue: text) {
        mode = parsed
      } else {
        let suggestion = MappingReader.closest(to: text, in: RoutingMode.allCases.map(\.rawValue))
        problems.add(
          service.value("routing")?.mark,
          "`\(service.path("routing"))` must be record, failover-health-check or weighted, not \"\(text)\""
            + (suggestion.map { "; did you mean \($0)?" } ?? "."))
      }
    }
    var rule = CompositionRule.all
    if let text = service.string("health_rule") {
      if let parsed = Self.compositionRule(text) {
        rule = parsed
      } else {
        problems.add(
          service.value("health_rule")?.mark,
          "`\(service.path("health_rule"))` must be all, any or \"quorum N\" (N at least 1), not \"\(text)\"."
        )
      }
    }
    var placements: [ServiceRegion] = []
    var placementNodes: [Node] = []
    if let items = service.sequence(
      "regions", required: "the ordered list of regions it runs in (primary first)")
    {
      if items.isEmpty {
        problems.add(
          service.value("regions")?.mark,
          "`\(service.path("regions"))` is empty; a service needs at least one region.")
      }
      for (index, item) in items.enumerated() {
        let path = "\(service.path("regions"))[\(index)]"
        if let placement = decodePlacement(item, path: path, recordType: recordType) {
          placements.append(placement)
          placementNodes.append(item)
        }
      }
    }
    guard let id, let dnsName, let zone else { return (nil, []) }
    var result = Service(
      id: ServiceID(id), dnsName: Self.trimDot(dnsName), hostedZone: Self.trimDot(zone),
      recordType: recordType,
      ttl: ttl, routingMode: mode, regions: placements, healthRule: rule)
    result.runbook = decodeRunbook(service)
    if let zoneID = service.string("hosted_zone_id") {
      if Self.isZoneID(zoneID) {
        result.hostedZoneID = zoneID
      } else {
        problems.add(
          service.value("hosted_zone_id")?.mark,
          "`\(service.path("hosted_zone_id"))` must be a Route53 hosted zone id (letters and digits, e.g. "
            + "Z1D633PJN98FT9), not \"\(zoneID)\"; `hosted_zone` names the domain.")
      }
    }
    return (result, placementNodes)
  }

  /// A Route53 hosted zone id: letters and digits, optionally after `/hostedzone/`.
  static func isZoneID(_ text: String) -> Bool {
    let bare = text.hasPrefix("/hostedzone/") ? text.dropFirst("/hostedzone/".count) : Substring(text)
    return !bare.isEmpty && bare.count <= 32
      && bare.unicodeScalars.allSatisfy {
        ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0)
      }
  }

  func decodePlacement(_ node: Node, path: String, recordType: String) -> ServiceRegion? {
    guard let placement = MappingReader(node, path: path, problems: problems) else { return nil }
    placement.allowKeys(["region", "target", "weight", "signals"])
    let region = placement.string("region", required: "the id of a region declared under `regions`")
    let target = placement.string(
      "target", required: "the record value in this region (an address or host name)")
    if let target, let problem = Self.targetProblem(target, recordType: recordType) {
      problems.add(placement.value("target")?.mark, "`\(placement.path("target"))` \(problem)")
    }
    let weight = placement.int("weight", in: 0...255) ?? 100
    let signals = decodeSignals(placement, path: path)
    guard let region, let target else { return nil }
    return ServiceRegion(region: RegionID(region), target: target, weight: weight, signals: signals)
  }

  static let signalTypes = ["http", "cloudwatch-alarm", "route53-health-check"]

  func decodeSignals(_ owner: MappingReader, path: String) -> [SignalSpec] {
    (owner.sequence("signals") ?? []).enumerated().compactMap { index, node in
      decodeSignal(node, path: "\(path).signals[\(index)]")
    }
  }

  func decodeSignal(_ node: Node, path: String) -> SignalSpec? {
    guard let signal = MappingReader(node, path: path, problems: problems) else { return nil }
    guard let type = signal.string("type", required: "one of \(Self.signalTypes.joined(separator: ", "))")
    else {
      return nil
    }
    switch type {
    case "http":
      signal.allowKeys([
        "type", "url", "interval", "connect_timeout", "response_timeout", "failure_threshold",
        "success_threshold",
        "expected_status", "search_string", "latency_budget",
      ])
      let url = signal.string("url", required: "the http:// or https:// URL to probe")
      if let url, Self.httpURL(url) == nil {
        problems.add(
          signal.value("url")?.mark, "`\(signal.path("url"))` must be an http or https URL with a host.")
      }
      var probe = HTTPProbeSpec(url: url ?? "")
      if let value = signal.duration("interval", in: 1...300) { probe.interval = value }
      if let value = signal.duration("connect_timeout", in: 0.1...60) { probe.connectTimeout = value }
      if let value = signal.duration("response_timeout", in: 0.1...60) { probe.responseTimeout = value }
      if let value = signal.int("failure_threshold", in: 1...10) { probe.failureThreshold = value }
      probe.successThreshold = signal.int("success_threshold", in: 1...10) ?? probe.failureThreshold
      if let items = signal.sequence("expected_status") {
        for item in items {
          if let status = item.int, (100...599).contains(status) {
            probe.expectedStatuses.append(status)
          } else {
            problems.add(
              item.mark,
              "`\(signal.path("expected_status"))` entries must be HTTP statuses 100–599, not \(MappingReader.kind(item))."
            )
          }
        }
      }
      if let text = signal.string("search_string") {
        if text.utf8.count > 255 {
          problems.add(
            signal.value("search_string")?.mark, "`\(signal.path("search_string"))` is longer than 255 bytes."
          )
        }
        probe.bodyMatch = text
      }
      if let value = signal.duration("latency_budget", in: 0.001...60) { probe.latencyBudget = value }
      guard url != nil else { return nil }
      return .httpProbe(probe)
    case "cloudwatch-alarm":
      signal.allowKeys(["type", "name", "insufficient_data"])
      let name = signal.string("name", required: "the CloudWatch alarm's name")
      var meaning = InsufficientDataMeaning.lastKnown
      if let text = signal.string("insufficient_data") {
        if let parsed = InsufficientDataMeaning(rawValue: text) {
          meaning = parsed
        } else {
          problems.add(
            signal.value("insufficient_data")?.mark,
            "`\(signal.path("insufficient_data"))` must be healthy, unhealthy, unknown or last-known, not \"\(text)\"."
          )
        }
      }
      return name.map { .cloudWatchAlarm(AlarmSignalSpec(alarmName: $0, insufficientDataMeans: meaning)) }
    case "route53-health-check":
      signal.allowKeys(["type", "id"])
      return signal.string("id", required: "the Route53 health check id").map { .route53HealthCheck(id: $0) }
    default:
      let suggestion = MappingReader.closest(to: type, in: Self.signalTypes)
      problems.add(
        signal.value("type")?.mark,
        "`\(signal.path("type"))` must be one of \(Self.signalTypes.joined(separator: ", ")), not \"\(type)\""
          + (suggestion.map { "; did you mean \($0)?" } ?? "."))
      return nil
    }
  }
}
