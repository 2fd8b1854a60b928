import FailoverCore
import Foundation

/// The seed recipe's setup in one place: compares Route53 and CloudWatch with a `DesiredState` (plan), creates
/// what is missing or different (bootstrap, idempotent) and removes what bootstrap created (teardown).
public struct Provisioner: Sendable {
  /// The Route53 client plan, bootstrap and teardown use.
  public let route53: Route53Client
  /// The CloudWatch client of the configured region (`aws.region`): alarms on any metric but Route53's.
  public let cloudWatch: CloudWatchClient
  /// The CloudWatch client of us-east-1, where Route53 publishes its health-check metrics (`AWS/Route53`,
  /// `HealthCheckStatus`) whatever the configured region: alarms on them live there.
  public let route53Metrics: CloudWatchClient
  /// How long bootstrap and teardown wait for a record change to reach INSYNC.
  public var changeTimeout: TimeInterval
  /// How often GetChange is polled while waiting for INSYNC.
  public var changePollInterval: TimeInterval

  /// The namespace of Route53's metrics, published only in `route53MetricsRegion`.
  public static let route53MetricsNamespace = "AWS/Route53"
  /// The only region where Route53 publishes its metrics.
  public static let route53MetricsRegion = "us-east-1"

  /// A provisioner over the clients; waits up to `changeTimeout` for INSYNC. `route53Metrics` (a CloudWatch
  /// client for us-east-1) defaults to `cloudWatch`, right when that one is for us-east-1.
  public init(
    route53: Route53Client, cloudWatch: CloudWatchClient, route53Metrics: CloudWatchClient? = nil,
    changeTimeout: TimeInterval = 300, changePollInterval: TimeInterval = 5
  ) {
    self.route53 = route53
    self.cloudWatch = cloudWatch
    self.route53Metrics = route53Metrics ?? cloudWatch
    self.changeTimeout = changeTimeout
    self.changePollInterval = changePollInterval
  }

  // MARK: Plan

  /// Every difference between the services and the desired state; empty means no drift.
  public func plan(_ desired: DesiredState) async throws -> [Drift] {
    try validate(desired)
    let observed = try await observe(desired)
    return assess(desired, observed).drifts
  }

  // MARK: Bootstrap

  /// Creates or updates what `plan` reports missing or different. A second run sends nothing.
  ///
  /// `createZone` also creates a missing hosted zone; otherwise a missing zone is an error.
  public func bootstrap(_ desired: DesiredState, dryRun: Bool = false, createZone: Bool = false) async throws
    -> ProvisionReport
  {
    try validate(desired)
    var observed = try await observe(desired)
    // Refuse before changing anything, so a refusal never leaves half a bootstrap behind.
    for (wanted, have, fields) in assess(desired, observed).differingHealthChecks {
      let immutable = fields.filter { $0.field == "type" || $0.field == "request interval" }
      guard immutable.isEmpty else {
        throw AWSError.invalidRequest(
          "health check \(wanted.key) (\(have.id)) differs in \(immutable.map(\.description).joined(separator: ", ")),"
            + " which Route53 cannot change in place; run teardown, then bootstrap")
      }
    }
    var report = ProvisionReport(dryRun: dryRun)
    if observed.zone == nil {
      guard createZone else {
        throw AWSError.notFound(
          "Route53 has no hosted zone for \(desired.zoneDomain); create it, or run bootstrap with --create-zone."
        )
      }
      report.actions.append("create hosted zone \(desired.zoneDomain)")
      if !dryRun {
        observed.zone = try await route53.createHostedZone(
          name: desired.zoneDomain, callerReference: desired.ownerPrefix + "zone/" + UUID().uuidString,
          comment: "Created by Switchboard")
      }
    }
    let assessment = assess(desired, observed)

    // Health checks first: records and alarms refer to their ids.
    var healthCheckIDs = observed.healthChecks.mapValues(\.id)
    for wanted in assessment.missingHealthChecks {
      report.actions.append("create health check \(wanted.key) (\(Self.summary(wanted.config)))")
      if dryRun {
        healthCheckIDs[wanted.key] = Self.placeholder(wanted.key)
      } else {
        let created = try await route53.createHealthCheck(
          callerReference: desired.ownerPrefix + wanted.key + "/" + UUID().uuidString, config: wanted.config)
        healthCheckIDs[wanted.key] = created.id
        if !wanted.tags.isEmpty { try await route53.changeHealthCheckTags(id: created.id, add: wanted.tags) }
      }
    }
    for (wanted, have, fields) in assessment.differingHealthChecks {
      report.actions.append(
        "update health check \(wanted.key) (\(have.id)): " + fields.map(\.description).joined(separator: "; ")
      )
      if !dryRun {
        if fields.contains(where: { !$0.field.hasPrefix("tag ") }) {
          _ = try await route53.updateHealthCheck(
            id: have.id, Self.update(from: have.config, to: wanted.config))
        }
        if fields.contains(where: { $0.field.hasPrefix("tag ") }) {
          try await route53.changeHealthCheckTags(id: have.id, add: wanted.tags)
        }
      }
    }

    // Records: one atomic batch of UPSERTs (safe to resend if an answer is lost), with the DELETE of every legacy
    // record they replace, so no record under the other name keeps sending traffic.
    var changes = desired.records.compactMap { wanted -> DNSChange? in
      let record = resolve(wanted, healthCheckIDs)
      if let have = observed.records[wanted.identity], Self.differences(have, record).isEmpty { return nil }
      return DNSChange(.upsert, record)
    }
    changes += desired.records.compactMap { wanted in
      wanted.legacyIdentity.flatMap { observed.records[$0] }.map { DNSChange(.delete, $0) }
    }
    if !changes.isEmpty {
      let batch = DNSChangeBatch(
        zoneID: observed.zone?.id ?? Self.placeholder("zone \(desired.zoneDomain)"),
        comment: "Switchboard bootstrap", changes: changes)
      report.changeBatches.append(batch)
      if !dryRun {
        let receipt = try await route53.submit(batch)
        try await route53.waitUntilInSync(
          changeID: receipt.id, timeout: changeTimeout, pollInterval: changePollInterval)
      }
    }

    for misplaced in observed.misplacedAlarms {
      let belongs = place(of: misplaced)
      report.actions.append(
        "delete alarm \(misplaced.name) in \(region(belongs.other)) (it belongs in \(region(belongs)))")
      if !dryRun { try await client(belongs.other).deleteAlarms(names: [misplaced.name]) }
    }
    for wanted in desired.alarms {
      let alarm = resolve(wanted, healthCheckIDs)
      let home = place(of: alarm)
      if let have = observed.alarms[alarm.name] {
        let fields = Self.differences(have, alarm)
        if fields.isEmpty { continue }
        report.actions.append(
          "update alarm \(alarm.name) in \(region(home)): "
            + fields.map(\.description).joined(separator: "; "))
      } else {
        report.actions.append(
          "create alarm \(alarm.name) on \(alarm.namespace) \(alarm.metricName) in \(region(home))")
      }
      if !dryRun { try await client(home).putMetricAlarm(alarm) }
    }
    return report
  }

  // MARK: Teardown

  /// Removes the desired records that exist, and every health check, alarm and hosted zone carrying the owner
  /// prefix. Leaves everything else alone.
  public func teardown(_ desired: DesiredState, dryRun: Bool = false) async throws -> ProvisionReport {
    try validate(desired)
    let observed = try await observe(desired)
    var report = ProvisionReport(dryRun: dryRun)
    if let zone = observed.zone {
      let identities = desired.records.flatMap { [$0.identity] + ($0.legacyIdentity.map { [$0] } ?? []) }
      let deletions = identities.compactMap { identity in
        observed.records[identity].map { DNSChange(.delete, $0) }
      }
      if !deletions.isEmpty {
        let batch = DNSChangeBatch(zoneID: zone.id, comment: "Switchboard teardown", changes: deletions)
        report.changeBatches.append(batch)
        if !dryRun {
          let receipt = try await route53.submit(batch)
          try await route53.waitUntilInSync(
            changeID: receipt.id, timeout: changeTimeout, pollInterval: changePollInterval)
        }
      }
    }
    // Each alarm is deleted in the region it was found in (misplaced ones included).
    let found =
      observed.alarms.values.map { ($0.name, place(of: $0)) }
      + observed.misplacedAlarms.map { ($0.name, place(of: $0).other) }
    for place in places {
      let names = found.filter { $0.1 == place }.map(\.0).sorted()
      guard !names.isEmpty else { continue }
      report.actions.append("delete alarms \(names.joined(separator: ", ")) in \(region(place))")
      if !dryRun { try await client(place).deleteAlarms(names: names) }
    }
    let owned = observed.healthChecks.sorted { $0.key < $1.key }.map(\.value) + observed.extraHealthChecks
    for check in owned {
      report.actions.append("delete health check \(check.id) (\(check.callerReference))")
      if !dryRun { try await route53.deleteHealthCheck(id: check.id) }
    }
    if let zone = observed.zone, zone.callerReference.hasPrefix(desired.ownerPrefix + "zone/") {
      let remaining = dryRun ? [] : try await route53.listResourceRecordSets(zoneID: zone.id)
      if remaining.allSatisfy({ $0.type == "SOA" || $0.type == "NS" }) {
        report.actions.append("delete hosted zone \(zone.name) (\(zone.id)), created by bootstrap")
        if !dryRun { try await route53.deleteHostedZone(id: zone.id) }
      } else {
        report.actions.append("keep hosted zone \(zone.name): it holds records Switchboard did not create")
      }
    }
    return report
  }

  // MARK: Observation

  struct Observed {
    var zone: HostedZone?
    /// Owned health checks by desired key.
    var healthChecks: [String: HealthCheck] = [:]
    /// Tags of the owned health checks, by id.
    var healthCheckTags: [String: [String: String]] = [:]
    /// Owned health checks whose key is not desired.
    var extraHealthChecks: [HealthCheck] = []
    var records: [RecordIdentity: DNSRecord] = [:]
    /// Owned alarms (names with the owner prefix) by name, found in the region they belong in.
    var alarms: [String: MetricAlarm] = [:]
    /// Owned alarms found in the other region than the one they belong in (Route53 metrics: us-east-1).
    var misplacedAlarms: [MetricAlarm] = []
  }

  private func observe(_ desired: DesiredState) async throws -> Observed {
    var observed = Observed()
    observed.zone = try await zone(desired)
    let keys = Set(desired.healthChecks.map(\.key))
    for check in try await route53.listHealthChecks() {
      guard let key = Self.ownedKey(check.callerReference, prefix: desired.ownerPrefix) else { continue }
      if keys.contains(key), observed.healthChecks[key] == nil {
        observed.healthChecks[key] = check
      } else {
        observed.extraHealthChecks.append(check)
      }
    }
    if !observed.healthChecks.isEmpty {
      observed.healthCheckTags = try await route53.healthCheckTags(
        ids: observed.healthChecks.values.map(\.id))
    }
    if let zone = observed.zone {
      for record in try await route53.listResourceRecordSets(zoneID: zone.id) {
        observed.records[RecordIdentity(record)] = record
      }
    }
    for searched in places {
      for described in try await client(searched).describeAlarms(prefix: desired.ownerPrefix) {
        if place(of: described.alarm) == searched {
          observed.alarms[described.alarm.name] = described.alarm
        } else {
          observed.misplacedAlarms.append(described.alarm)
        }
      }
    }
    return observed
  }

  /// The hosted zone: the one with the configured id (an error when it is missing or named otherwise), else the
  /// one named `zoneDomain`, else nil.
  private func zone(_ desired: DesiredState) async throws -> HostedZone? {
    guard let id = desired.zoneID else { return try await route53.hostedZone(forDomain: desired.zoneDomain) }
    let origin = desired.zoneIDOrigin.map { " (hosted_zone_id at \($0))" } ?? ""
    guard let zone = try await route53.hostedZone(id: id) else {
      throw AWSError.notFound(
        "Route53 has no hosted zone with id \(id)\(origin); fix hosted_zone_id, or remove it to use the zone "
          + "named \(desired.zoneDomain).")
    }
    guard Route53Client.normalized(zone.name) == Route53Client.normalized(desired.zoneDomain) else {
      throw AWSError.invalidRequest(
        "hosted zone \(id)\(origin) is named \(Route53Client.normalized(zone.name)), not \(desired.zoneDomain) "
          + "as hosted_zone says; make the two name the same zone.")
    }
    return zone
  }

  // MARK: Alarm regions

  /// Where an alarm lives: with Route53's metrics (us-east-1) or in the configured region.
  enum AlarmPlace: Hashable {
    case configured, route53Metrics
    var other: AlarmPlace { self == .configured ? .route53Metrics : .configured }
  }

  /// The place an alarm belongs in: us-east-1 for Route53's metrics, the configured region for the rest.
  func place(of alarm: MetricAlarm) -> AlarmPlace {
    alarm.namespace == Self.route53MetricsNamespace && hasSeparateRoute53Region
      ? .route53Metrics : .configured
  }

  /// The places to look for alarms: one when the configured region is us-east-1, else two.
  var places: [AlarmPlace] { hasSeparateRoute53Region ? [.configured, .route53Metrics] : [.configured] }

  /// Whether Route53's metrics live in another region (or endpoint) than the configured one.
  var hasSeparateRoute53Region: Bool {
    let home = cloudWatch.query.executor.endpoint
    let route53 = route53Metrics.query.executor.endpoint
    return home.region != route53.region || home.url != route53.url
  }

  func client(_ place: AlarmPlace) -> CloudWatchClient {
    place == .configured ? cloudWatch : route53Metrics
  }

  func region(_ place: AlarmPlace) -> String { client(place).query.executor.endpoint.region }

  /// The key of an owned health check (`prefix + key + "/" + unique`), or nil if it is not owned.
  static func ownedKey(_ callerReference: String, prefix: String) -> String? {
    guard callerReference.hasPrefix(prefix), !callerReference.hasPrefix(prefix + "zone/") else { return nil }
    let rest = callerReference.dropFirst(prefix.count)
    guard let slash = rest.lastIndex(of: "/") else { return nil }
    return String(rest[..<slash])
  }

  // MARK: Assessment

  struct Assessment {
    var drifts: [Drift] = []
    var missingHealthChecks: [DesiredHealthCheck] = []
    var differingHealthChecks: [(DesiredHealthCheck, HealthCheck, [FieldDifference])] = []
  }

  private func assess(_ desired: DesiredState, _ observed: Observed) -> Assessment {
    var result = Assessment()
    if observed.zone == nil {
      result.drifts.append(Drift(resourceType: "hosted zone", resource: desired.zoneDomain, kind: .missing))
    }
    var ids: [String: String] = [:]
    for wanted in desired.healthChecks {
      guard let have = observed.healthChecks[wanted.key] else {
        result.missingHealthChecks.append(wanted)
        result.drifts.append(Drift(resourceType: "health check", resource: wanted.key, kind: .missing))
        ids[wanted.key] = Self.placeholder(wanted.key)
        continue
      }
      ids[wanted.key] = have.id
      let haveTags = observed.healthCheckTags[have.id] ?? [:]
      let tagFields = wanted.tags.keys.sorted().compactMap { key -> FieldDifference? in
        haveTags[key] == wanted.tags[key]
          ? nil : FieldDifference(field: "tag \(key)", have: haveTags[key] ?? "none", want: wanted.tags[key]!)
      }
      let fields = Self.differences(have.config, wanted.config) + tagFields
      if !fields.isEmpty {
        result.differingHealthChecks.append((wanted, have, fields))
        result.drifts.append(
          Drift(resourceType: "health check", resource: "\(wanted.key) (\(have.id))", kind: .differs(fields)))
      }
    }
    for extra in observed.extraHealthChecks {
      result.drifts.append(
        Drift(
          resourceType: "health check", resource: "\(extra.id) (\(extra.callerReference))", kind: .extraOwned)
      )
    }
    for wanted in desired.records {
      let record = resolve(wanted, ids)
      guard let have = observed.records[wanted.identity] else {
        result.drifts.append(
          Drift(resourceType: "record", resource: wanted.identity.description, kind: .missing))
        continue
      }
      let fields = Self.differences(have, record)
      if !fields.isEmpty {
        result.drifts.append(
          Drift(resourceType: "record", resource: wanted.identity.description, kind: .differs(fields)))
      }
    }
    for wanted in desired.records {
      guard let legacy = wanted.legacyIdentity, observed.records[legacy] != nil else { continue }
      result.drifts.append(
        Drift(
          resourceType: "record", resource: legacy.description,
          kind: .legacy(replacedBy: "set \(wanted.record.setIdentifier ?? "none")")))
    }
    let desiredAlarmNames = Set(desired.alarms.map(\.alarm.name))
    for wanted in desired.alarms {
      let alarm = resolve(wanted, ids)
      guard let have = observed.alarms[alarm.name] else {
        result.drifts.append(Drift(resourceType: "alarm", resource: alarm.name, kind: .missing))
        continue
      }
      let fields = Self.differences(have, alarm)
      if !fields.isEmpty {
        result.drifts.append(Drift(resourceType: "alarm", resource: alarm.name, kind: .differs(fields)))
      }
    }
    for name in observed.alarms.keys.sorted() where !desiredAlarmNames.contains(name) {
      result.drifts.append(Drift(resourceType: "alarm", resource: name, kind: .extraOwned))
    }
    for alarm in observed.misplacedAlarms {
      let belongs = place(of: alarm)
      result.drifts.append(
        Drift(
          resourceType: "alarm", resource: alarm.name,
          kind: .misplaced(found: region(belongs.other), belongs: region(belongs))))
    }
    return result
  }

  private func resolve(_ wanted: DesiredRecord, _ ids: [String: String]) -> DNSRecord {
    var record = wanted.record
    if let key = wanted.healthCheckKey { record.healthCheckID = ids[key] ?? Self.placeholder(key) }
    return record
  }

  private func resolve(_ wanted: DesiredAlarm, _ ids: [String: String]) -> MetricAlarm {
    var alarm = wanted.alarm
    if let key = wanted.healthCheckKey {
      alarm.dimensions["HealthCheckId"] = ids[key] ?? Self.placeholder(key)
    }
    return alarm
  }

  private func validate(_ desired: DesiredState) throws {
    let problems = desired.problems()
    if !problems.isEmpty { throw AWSError.invalidRequest(problems.joined(separator: "; ")) }
  }

  static func placeholder(_ key: String) -> String { "<new \(key)>" }

  static func summary(_ config: HealthCheckConfig) -> String {
    let target = config.fullyQualifiedDomainName ?? config.ipAddress ?? "?"
    return "\(config.type) \(target):\(config.port.map(String.init) ?? "default")\(config.resourcePath ?? "")"
  }

  // MARK: Field comparison

  static func differences(_ have: HealthCheckConfig, _ want: HealthCheckConfig) -> [FieldDifference] {
    var fields: [FieldDifference] = []
    func check(_ name: String, _ a: String?, _ b: String?) {
      if a != b { fields.append(FieldDifference(field: name, have: a ?? "none", want: b ?? "none")) }
    }
    check("type", have.type, want.type)
    check("domain name", have.fullyQualifiedDomainName, want.fullyQualifiedDomainName)
    check("ip address", have.ipAddress, want.ipAddress)
    check("port", have.port.map(String.init), want.port.map(String.init))
    check("resource path", have.resourcePath, want.resourcePath)
    check("search string", have.searchString, want.searchString)
    check("request interval", String(have.requestInterval), String(want.requestInterval))
    check("failure threshold", String(have.failureThreshold), String(want.failureThreshold))
    check("inverted", String(have.inverted), String(want.inverted))
    check("disabled", String(have.disabled), String(want.disabled))
    if let sni = want.enableSNI { check("enable SNI", have.enableSNI.map { String($0) }, String(sni)) }
    return fields
  }

  static func update(from have: HealthCheckConfig, to want: HealthCheckConfig) -> HealthCheckUpdate {
    HealthCheckUpdate(
      fullyQualifiedDomainName: want.fullyQualifiedDomainName != have.fullyQualifiedDomainName
        ? want.fullyQualifiedDomainName : nil,
      ipAddress: want.ipAddress != have.ipAddress ? want.ipAddress : nil,
      port: want.port != have.port ? want.port : nil,
      resourcePath: want.resourcePath != have.resourcePath ? want.resourcePath : nil,
      searchString: want.searchString != have.searchString ? want.searchString : nil,
      failureThreshold: want.failureThreshold != have.failureThreshold ? want.failureThreshold : nil,
      inverted: want.inverted != have.inverted ? want.inverted : nil,
      disabled: want.disabled != have.disabled ? want.disabled : nil,
      enableSNI: want.enableSNI != nil && want.enableSNI != have.enableSNI ? want.enableSNI : nil)
  }

  static func differences(_ have: DNSRecord, _ want: DNSRecord) -> [FieldDifference] {
    var fields: [FieldDifference] = []
    func check(_ name: String, _ a: String, _ b: String) {
      if a != b { fields.append(FieldDifference(field: name, have: a, want: b)) }
    }
    check("ttl", have.ttl.map(String.init) ?? "none", want.ttl.map(String.init) ?? "none")
    check("values", have.values.sorted().joined(separator: ","), want.values.sorted().joined(separator: ","))
    check("routing", routingText(have.routing), routingText(want.routing))
    check("health check", have.healthCheckID ?? "none", want.healthCheckID ?? "none")
    check("alias", aliasText(have.alias), aliasText(want.alias))
    return fields
  }

  private static func routingText(_ routing: DNSRecord.Routing) -> String {
    switch routing {
    case .simple: "simple"
    case .failover(let role, let id): "failover \(role.rawValue) (set \(id))"
    case .weighted(let weight, let id): "weight \(weight) (set \(id))"
    }
  }

  private static func aliasText(_ alias: DNSRecord.AliasTarget?) -> String {
    guard let alias else { return "none" }
    return "\(Route53Client.normalized(alias.dnsName)) in \(alias.hostedZoneID), evaluate target health "
      + (alias.evaluateTargetHealth ? "on" : "off")
  }

  static func differences(_ have: MetricAlarm, _ want: MetricAlarm) -> [FieldDifference] {
    var fields: [FieldDifference] = []
    func check(_ name: String, _ a: String, _ b: String) {
      if a != b { fields.append(FieldDifference(field: name, have: a, want: b)) }
    }
    func dims(_ d: [String: String]) -> String {
      d.keys.sorted().map { "\($0)=\(d[$0]!)" }.joined(separator: ",")
    }
    check("description", have.description ?? "none", want.description ?? "none")
    check("metric", "\(have.namespace) \(have.metricName)", "\(want.namespace) \(want.metricName)")
    check("dimensions", dims(have.dimensions), dims(want.dimensions))
    check("statistic", have.statistic, want.statistic)
    check("period", String(have.period), String(want.period))
    check("evaluation periods", String(have.evaluationPeriods), String(want.evaluationPeriods))
    if let points = want.datapointsToAlarm {
      check("datapoints to alarm", have.datapointsToAlarm.map(String.init) ?? "none", String(points))
    }
    check("threshold", QueryParameters.number(have.threshold), QueryParameters.number(want.threshold))
    check("comparison", have.comparisonOperator, want.comparisonOperator)
    if let treat = want.treatMissingData {
      check("treat missing data", have.treatMissingData ?? "missing", treat)
    }
    check(
      "alarm actions", have.alarmActions.sorted().joined(separator: ","),
      want.alarmActions.sorted().joined(separator: ","))
    check(
      "ok actions", have.okActions.sorted().joined(separator: ","),
      want.okActions.sorted().joined(separator: ","))
    check("actions enabled", String(have.actionsEnabled), String(want.actionsEnabled))
    return fields
  }
}
