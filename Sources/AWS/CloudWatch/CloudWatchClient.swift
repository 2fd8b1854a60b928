import FailoverCore
import Foundation

/// CloudWatch over the query protocol (2010-08-01): alarms and metrics.
///
/// Implements FailoverCore's `AlarmSource` and `MetricsProvider`.
public struct CloudWatchClient: AlarmSource, MetricsProvider {
  /// The query-protocol client underneath (signing, retries).
  public let query: AWSQueryClient

  /// PutMetricData accepts at most this many metric data per request.
  public static let maxDataPerRequest = 1000
  /// PutMetricData accepts request bodies up to 1 MB; stay under it with room for the headers.
  public static let maxBytesPerRequest = 1_000_000
  /// DescribeAlarms accepts at most 100 names per request.
  public static let maxAlarmNamesPerRequest = 100

  /// A client for a resolved endpoint, signing for `region`.
  public init(
    endpoint: URL, region: String, credentials: any AWSCredentialProvider,
    transport: any AWSHTTPTransport = URLSessionTransport(), retry: RetryPolicy = .standard,
    observer: (any AWSCallObserver)? = nil
  ) {
    let executor = AWSRequestExecutor(
      endpoint: AWSServiceEndpoint(
        serviceName: "CloudWatch", signingName: "monitoring", region: region, url: endpoint),
      credentials: credentials, transport: transport, retry: retry, observer: observer)
    query = AWSQueryClient(executor: executor, version: "2010-08-01")
  }

  // MARK: Alarms

  /// DescribeAlarms for exact names (chunked by 100) or a name prefix, following NextToken.
  public func describeAlarms(names: [String]? = nil, prefix: String? = nil, maxPages: Int = 1000) async throws
    -> [DescribedAlarm]
  {
    if let names {
      var found: [DescribedAlarm] = []
      var start = 0
      while start < names.count {
        let chunk = Array(names[start..<min(start + Self.maxAlarmNamesPerRequest, names.count)])
        var parameters = QueryParameters()
        parameters.addList("AlarmNames", chunk)
        found += try await describePages(parameters, maxPages: maxPages)
        start += Self.maxAlarmNamesPerRequest
      }
      return found
    }
    var parameters = QueryParameters()
    parameters.add("AlarmNamePrefix", prefix)
    return try await describePages(parameters, maxPages: maxPages)
  }

  private func describePages(_ base: QueryParameters, maxPages: Int) async throws -> [DescribedAlarm] {
    var alarms: [DescribedAlarm] = []
    var token: String?
    var seen: Set<String> = []
    for _ in 0..<maxPages {
      var parameters = base
      parameters.add("MaxRecords", "100")
      parameters.add("NextToken", token)
      let result = try await query.call("DescribeAlarms", parameters.pairs)
      alarms += result.child("MetricAlarms")?.children("member").map(Self.describedAlarm) ?? []
      guard let next = result.value("NextToken"), !next.isEmpty else { return alarms }
      guard seen.insert(next).inserted else {
        throw AWSError.malformedResponse(service: "CloudWatch", detail: "DescribeAlarms repeated NextToken")
      }
      token = next
    }
    throw AWSError.malformedResponse(
      service: "CloudWatch", detail: "DescribeAlarms did not finish in \(maxPages) pages")
  }

  /// AlarmSource: the state of each named alarm that exists.
  public func alarmStates(names: [String]) async throws -> [String: AlarmReading] {
    guard !names.isEmpty else { return [:] }
    var readings: [String: AlarmReading] = [:]
    for described in try await describeAlarms(names: names) {
      guard let state = AlarmState(rawValue: described.state) else { continue }
      readings[described.alarm.name] = AlarmReading(
        name: described.alarm.name, state: state, reason: described.stateReason,
        updatedAt: described.stateUpdatedAt)
    }
    return readings
  }

  /// PutMetricAlarm: creates the alarm or replaces its definition.
  public func putMetricAlarm(_ alarm: MetricAlarm) async throws {
    var p = QueryParameters()
    p.add("AlarmName", alarm.name)
    p.add("AlarmDescription", alarm.description)
    p.add("ActionsEnabled", alarm.actionsEnabled ? "true" : "false")
    p.addList("AlarmActions", alarm.alarmActions)
    p.addList("OKActions", alarm.okActions)
    p.add("Namespace", alarm.namespace)
    p.add("MetricName", alarm.metricName)
    p.addDimensions("Dimensions", alarm.dimensions)
    p.add("Statistic", alarm.statistic)
    p.add("Period", String(alarm.period))
    p.add("EvaluationPeriods", String(alarm.evaluationPeriods))
    p.add("DatapointsToAlarm", alarm.datapointsToAlarm.map(String.init))
    p.add("Threshold", QueryParameters.number(alarm.threshold))
    p.add("ComparisonOperator", alarm.comparisonOperator)
    p.add("TreatMissingData", alarm.treatMissingData)
    try await query.call("PutMetricAlarm", p.pairs)
  }

  /// DeleteAlarms (up to 100 names per call; chunked).
  public func deleteAlarms(names: [String]) async throws {
    var start = 0
    while start < names.count {
      var p = QueryParameters()
      p.addList("AlarmNames", Array(names[start..<min(start + Self.maxAlarmNamesPerRequest, names.count)]))
      try await query.call("DeleteAlarms", p.pairs)
      start += Self.maxAlarmNamesPerRequest
    }
  }

  /// SetAlarmState: forces a state until the next evaluation (drills and tests).
  public func setAlarmState(name: String, state: AlarmState, reason: String) async throws {
    var p = QueryParameters()
    p.add("AlarmName", name)
    p.add("StateValue", state.rawValue)
    p.add("StateReason", reason)
    try await query.call("SetAlarmState", p.pairs)
  }

  // MARK: Metrics

  /// MetricsProvider: PutMetricData in as many batches as the limits require.
  public func publish(namespace: String, _ data: [MetricDatum]) async throws {
    for batch in try Self.batches(namespace: namespace, data) {
      try await query.call("PutMetricData", batch)
    }
  }

  /// Splits data into PutMetricData parameter lists within the API's limits (1000 data, 1 MB).
  public static func batches(
    namespace: String, _ data: [MetricDatum], maxData: Int = maxDataPerRequest,
    maxBytes: Int = maxBytesPerRequest
  ) throws -> [[(String, String)]] {
    let overhead = URIEncoding.formEncode([
      ("Action", "PutMetricData"), ("Version", "2010-08-01"), ("Namespace", namespace),
    ]).utf8.count
    var batches: [[(String, String)]] = []
    var current: [(String, String)] = [("Namespace", namespace)]
    var count = 0
    var bytes = overhead
    for datum in data {
      guard datum.value.isFinite else {
        throw AWSError.invalidRequest("metric \(datum.name) has a value CloudWatch rejects (\(datum.value))")
      }
      guard datum.dimensions.count <= 30 else {
        throw AWSError.invalidRequest("metric \(datum.name) has more than 30 dimensions")
      }
      var fields = member(datum, index: count + 1)
      var size = URIEncoding.formEncode(fields).utf8.count + 1
      if count == maxData || (count > 0 && bytes + size > maxBytes) {
        batches.append(current)
        current = [("Namespace", namespace)]
        count = 0
        bytes = overhead
        fields = member(datum, index: 1)
        size = URIEncoding.formEncode(fields).utf8.count + 1
      }
      current += fields
      count += 1
      bytes += size
    }
    if count > 0 { batches.append(current) }
    return batches
  }

  private static func member(_ datum: MetricDatum, index: Int) -> [(String, String)] {
    var p = QueryParameters()
    let prefix = "MetricData.member.\(index)"
    p.add("\(prefix).MetricName", datum.name)
    p.addDimensions("\(prefix).Dimensions", datum.dimensions)
    p.add("\(prefix).Value", QueryParameters.number(datum.value))
    p.add("\(prefix).Unit", datum.unit)
    p.add("\(prefix).Timestamp", QueryParameters.timestamp(datum.timestamp))
    return p.pairs
  }

  /// GetMetricData for several queries over a time range, following NextToken.
  public func getMetricData(_ queries: [MetricQuery], start: Date, end: Date, maxPages: Int = 100)
    async throws
    -> [MetricSeries]
  {
    var series: [String: MetricSeries] = [:]
    var order: [String] = []
    var token: String?
    for _ in 0..<maxPages {
      var p = QueryParameters()
      for (index, q) in queries.enumerated() {
        let prefix = "MetricDataQueries.member.\(index + 1)"
        p.add("\(prefix).Id", q.id)
        p.add("\(prefix).MetricStat.Metric.Namespace", q.namespace)
        p.add("\(prefix).MetricStat.Metric.MetricName", q.metricName)
        p.addDimensions("\(prefix).MetricStat.Metric.Dimensions", q.dimensions)
        p.add("\(prefix).MetricStat.Period", String(q.period))
        p.add("\(prefix).MetricStat.Stat", q.statistic)
        p.add("\(prefix).ReturnData", "true")
      }
      p.add("StartTime", QueryParameters.timestamp(start))
      p.add("EndTime", QueryParameters.timestamp(end))
      p.add("NextToken", token)
      let result = try await query.call("GetMetricData", p.pairs)
      for node in result.child("MetricDataResults")?.children("member") ?? [] {
        let id = node.value("Id") ?? ""
        let times =
          node.child("Timestamps")?.children("member").compactMap { Route53XML.parseDate($0.text) } ?? []
        let values = node.child("Values")?.children("member").compactMap { Double($0.text) } ?? []
        let points = zip(times, values).map { (timestamp: $0.0, value: $0.1) }
        if series[id] == nil {
          order.append(id)
          series[id] = MetricSeries(
            id: id, label: node.value("Label") ?? id, points: [], statusCode: node.value("StatusCode") ?? "")
        }
        series[id]?.points += points
        series[id]?.statusCode = node.value("StatusCode") ?? ""
      }
      guard let next = result.value("NextToken"), !next.isEmpty, next != token else {
        return order.compactMap { series[$0] }
      }
      token = next
    }
    throw AWSError.malformedResponse(
      service: "CloudWatch", detail: "GetMetricData did not finish in \(maxPages) pages")
  }

  private static func describedAlarm(_ node: XMLTree) -> DescribedAlarm {
    var dimensions: [String: String] = [:]
    for member in node.child("Dimensions")?.children("member") ?? [] {
      if let name = member.value("Name") { dimensions[name] = member.value("Value") ?? "" }
    }
    let alarm = MetricAlarm(
      name: node.value("AlarmName") ?? "",
      description: node.value("AlarmDescription").flatMap { $0.isEmpty ? nil : $0 },
      namespace: node.value("Namespace") ?? "", metricName: node.value("MetricName") ?? "",
      dimensions: dimensions,
      statistic: node.value("Statistic") ?? "", period: node.value("Period").flatMap(Int.init) ?? 0,
      evaluationPeriods: node.value("EvaluationPeriods").flatMap(Int.init) ?? 0,
      datapointsToAlarm: node.value("DatapointsToAlarm").flatMap(Int.init),
      threshold: node.value("Threshold").flatMap(Double.init) ?? 0,
      comparisonOperator: node.value("ComparisonOperator") ?? "",
      treatMissingData: node.value("TreatMissingData"),
      alarmActions: node.child("AlarmActions")?.children("member").map(\.text) ?? [],
      okActions: node.child("OKActions")?.children("member").map(\.text) ?? [],
      actionsEnabled: node.value("ActionsEnabled") != "false")
    return DescribedAlarm(
      alarm: alarm, state: node.value("StateValue") ?? "", stateReason: node.value("StateReason") ?? "",
      stateUpdatedAt: Route53XML.parseDate(node.value("StateUpdatedTimestamp")))
  }
}
