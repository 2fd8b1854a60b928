import AWS
import FailoverCore
import Foundation
import Testing

@Suite("CloudWatch client against moto_server (signature checking on)", .serialized)
struct CloudWatchTests {
  static let moto = MotoServer()

  private func alarm(_ name: String, healthCheck: String = "hc-1") -> MetricAlarm {
    MetricAlarm.healthCheckStatus(name: name, healthCheckID: healthCheck, description: "primary health")
  }

  @Test("Given alarms put with PutMetricAlarm, when described, then definitions and states come back")
  func putAndDescribe() async throws {
    let context = try await MotoContext.make(Self.moto)
    let cloudWatch = context.cloudWatch()
    try await cloudWatch.putMetricAlarm(alarm("switchboard-primary", healthCheck: "hc-p"))
    try await cloudWatch.putMetricAlarm(alarm("switchboard-secondary", healthCheck: "hc-s"))

    let described = try await cloudWatch.describeAlarms(prefix: "switchboard-")
    #expect(described.map(\.alarm.name).sorted() == ["switchboard-primary", "switchboard-secondary"])
    let primary = try #require(described.first { $0.alarm.name == "switchboard-primary" })
    #expect(primary.alarm == alarm("switchboard-primary", healthCheck: "hc-p"))
  }

  @Test("Given more alarms than a page holds, when described, then NextToken paging returns every alarm once")
  func describePaging() async throws {
    let context = try await MotoContext.make(Self.moto)
    let cloudWatch = context.cloudWatch()
    for index in 1...120 {
      try await cloudWatch.putMetricAlarm(alarm(String(format: "switchboard-a%03d", index)))
    }

    let described = try await cloudWatch.describeAlarms(prefix: "switchboard-")
    #expect(described.count == 120)
    #expect(Set(described.map(\.alarm.name)).count == 120)
    let byName = try await cloudWatch.describeAlarms(
      names: (1...120).map { String(format: "switchboard-a%03d", $0) })
    #expect(byName.count == 120)
  }

  @Test(
    "Given an alarm, when SetAlarmState moves it to ALARM, then the AlarmSource port reads ALARM with the reason"
  )
  func setStateAndRead() async throws {
    let context = try await MotoContext.make(Self.moto)
    let cloudWatch = context.cloudWatch()
    try await cloudWatch.putMetricAlarm(alarm("switchboard-primary"))

    try await cloudWatch.setAlarmState(
      name: "switchboard-primary", state: .alarm, reason: "drill: primary down")
    let states = try await cloudWatch.alarmStates(names: ["switchboard-primary", "switchboard-absent"])

    #expect(states.count == 1)
    #expect(states["switchboard-primary"]?.state == .alarm)
    #expect(states["switchboard-primary"]?.reason == "drill: primary down")
    #expect(states["switchboard-primary"]?.updatedAt != nil)
  }

  @Test(
    "Given no such alarm, when SetAlarmState targets it, then ResourceNotFound comes back without retries")
  func missingAlarm() async throws {
    let context = try await MotoContext.make(Self.moto)
    let error = await #expect(throws: AWSError.self) {
      try await context.cloudWatch().setAlarmState(name: "switchboard-nope", state: .ok, reason: "x")
    }
    guard case .service(let service)? = error else {
      Issue.record("expected a service error, got \(String(describing: error))")
      return
    }
    #expect(service.code == "ResourceNotFound")
    #expect(service.service == "CloudWatch")
    #expect(service.httpStatus == 404 || service.httpStatus == 400)
  }

  @Test("Given alarms, when DeleteAlarms removes one, then only the other remains")
  func deleteAlarms() async throws {
    let context = try await MotoContext.make(Self.moto)
    let cloudWatch = context.cloudWatch()
    try await cloudWatch.putMetricAlarm(alarm("switchboard-one"))
    try await cloudWatch.putMetricAlarm(alarm("switchboard-two"))

    try await cloudWatch.deleteAlarms(names: ["switchboard-one"])
    #expect(
      try await cloudWatch.describeAlarms(prefix: "switchboard-").map(\.alarm.name) == ["switchboard-two"])
  }

  @Test(
    "Given 1,100 data points, when published, then they go in batches of at most 1,000 and all are readable")
  func publishBatchedAndRead() async throws {
    let context = try await MotoContext.make(Self.moto)
    let cloudWatch = context.cloudWatch()
    let now = Date()
    let data = (0..<1100).map { index in
      MetricDatum(
        name: "ProbeLatency", dimensions: ["Service": "api", "Region": "us-east-1"],
        value: Double(index % 10),
        unit: "Milliseconds", timestamp: now.addingTimeInterval(-Double(index % 50)))
    }
    let batches = try CloudWatchClient.batches(namespace: "Switchboard", data)
    #expect(batches.count == 2)

    // moto needs seconds for a 1,000-datum request, more on a loaded machine: no timeout-driven resend here.
    let patient = RetryPolicy(maxAttempts: 3, baseDelay: 0.1, maxTotalTime: 600, perCallTimeout: 300)
    try await context.cloudWatch(retry: patient).publish(namespace: "Switchboard", data)

    let series = try await cloudWatch.getMetricData(
      [
        MetricQuery(
          id: "count", namespace: "Switchboard", metricName: "ProbeLatency",
          dimensions: ["Service": "api", "Region": "us-east-1"], period: 3600, statistic: "SampleCount"),
        MetricQuery(
          id: "sum", namespace: "Switchboard", metricName: "ProbeLatency",
          dimensions: ["Service": "api", "Region": "us-east-1"], period: 3600, statistic: "Sum"),
      ], start: now.addingTimeInterval(-3600), end: now.addingTimeInterval(60))
    let count = series.first { $0.id == "count" }?.points.map(\.value).reduce(0, +)
    let sum = series.first { $0.id == "sum" }?.points.map(\.value).reduce(0, +)
    #expect(count == 1100)
    #expect(sum == Double((0..<1100).map { $0 % 10 }.reduce(0, +)))
  }

  @Test("Given a datum CloudWatch would reject, when published, then it is refused before sending")
  func invalidDatum() async throws {
    let datum = MetricDatum(name: "Bad", value: .nan, timestamp: Date())
    #expect(throws: AWSError.self) { try CloudWatchClient.batches(namespace: "Switchboard", [datum]) }
  }
}
