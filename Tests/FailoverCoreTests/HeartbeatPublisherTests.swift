import FailoverCore
import Foundation
import Synchronization
import Testing

/// Remembers every heartbeat outcome.
final class RecordingHeartbeatObserver: HeartbeatObserver {
  private let seen = Mutex<[HeartbeatOutcome]>([])
  func heartbeat(_ outcome: HeartbeatOutcome) { seen.withLock { $0.append(outcome) } }
  var outcomes: [HeartbeatOutcome] { seen.withLock { $0 } }
}

@Suite("Heartbeat: the leader (or the single node) tells CloudWatch it is alive")
struct HeartbeatPublisherTests {
  @Test(
    "Given a single node, when it runs three ticks, then three heartbeats of value 1 reach CloudWatch, 60 s apart"
  )
  func singleNodeBeatsEveryInterval() async {
    let clock = ManualClock()
    let sleeper = ManualSleeper(clock: clock)
    let metrics = FakeMetrics()
    let publisher = HeartbeatPublisher(
      metrics: metrics, cluster: "prod", interval: 60, clock: clock, sleeper: sleeper)
    await publisher.run(maxBeats: 3)
    let published = await metrics.published
    #expect(published.count == 3)
    #expect(
      published.allSatisfy { $0.name == "Heartbeat" && $0.value == 1 && $0.dimensions == ["Cluster": "prod"] }
    )
    #expect(published.map(\.timestamp) == [0, 60, 120].map { Fixtures.t0.addingTimeInterval($0) })
    #expect(sleeper.recorded == [60, 60])
  }

  @Test("Given a follower, when it ticks, then it publishes nothing (only the leader's series exists)")
  func followerStaysSilent() async {
    let metrics = FakeMetrics()
    let observer = RecordingHeartbeatObserver()
    let publisher = HeartbeatPublisher(
      metrics: metrics, cluster: "prod", interval: 60, isLeader: { false }, clock: ManualClock(),
      observer: observer)
    #expect(await publisher.beat() == .skippedAsFollower)
    #expect(await metrics.published.isEmpty)
    #expect(observer.outcomes == [.skippedAsFollower])
  }

  @Test(
    "Given CloudWatch failing once, when two ticks run, then the failure is reported and the next tick publishes"
  )
  func failureIsReportedAndRetriedOnSchedule() async {
    let clock = ManualClock()
    let metrics = FakeMetrics()
    await metrics.fail(1)
    let observer = RecordingHeartbeatObserver()
    let publisher = HeartbeatPublisher(
      metrics: metrics, cluster: "prod", interval: 10, clock: clock, sleeper: ManualSleeper(clock: clock),
      observer: observer)
    await publisher.run(maxBeats: 2)
    #expect(observer.outcomes == [.failed("metrics down"), .published])
    #expect(await metrics.published.count == 1)
  }

  @Test("Given cluster prod, then the alarm is named switchboard-prod-heartbeat")
  func alarmName() {
    #expect(Heartbeat.alarmName(cluster: "prod") == "switchboard-prod-heartbeat")
  }
}
