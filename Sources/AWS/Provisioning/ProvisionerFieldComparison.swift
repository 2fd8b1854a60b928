import FailoverCore
import Foundation

// Field comparison: which fields of a health check, record or alarm differ, and the update that fixes them.
extension Provisioner {
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
