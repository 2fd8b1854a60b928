import FailoverCore
import Foundation
import Testing

@Suite("Drill maintenances and region drills")
struct DrillMaintenanceTests {
  let now = instant("2026-06-01T00:00:00Z")

  func drill(_ subject: DrillSubject, at start: String, paused: Bool = false) -> Drill {
    Drill(
      id: "d-\(subject)", subject: subject, targetRegion: Fixtures.west, mode: .live, holdSeconds: 600,
      objectiveSeconds: 60, schedule: .once(instant(start)), paused: paused, createdBy: "alice", reason: "r",
      createdAt: now)
  }

  @Test(
    "Given a region drill, when its services are resolved, then only those whose traffic is in that region move"
  )
  func regionDrillServices() {
    var other = Fixtures.service()
    other.id = "www.example.com"
    let routing: [ServiceID: RoutingState] = [
      Fixtures.api: .single(Fixtures.api, Fixtures.east),
      "www.example.com": .single("www.example.com", Fixtures.west),
    ]
    let moved = DrillSubject.region(Fixtures.east).services(
      in: [Fixtures.service(), other], routing: routing, to: Fixtures.west)
    #expect(moved.map(\.id) == [Fixtures.api])
  }

  @Test(
    "Given drills within two weeks, beyond, paused and running, then each is a maintenance only when it should be"
  )
  func maintenances() {
    let soon = drill(.service(Fixtures.api), at: "2026-06-03T10:00:00Z")
    let far = drill(.service("www.example.com"), at: "2026-07-01T10:00:00Z")
    let paused = drill(.region(Fixtures.central), at: "2026-06-02T10:00:00Z", paused: true)
    let region = drill(.region(Fixtures.east), at: "2026-06-04T10:00:00Z")
    var run = DrillRun(id: "r", drill: soon, scheduledAt: instant("2026-06-03T10:00:00Z"), at: now)
    run.moves = [DrillMove(service: Fixtures.api, fromRegion: Fixtures.east, toRegion: Fixtures.west)]
    run.phase = .failingBack
    let routing: [ServiceID: RoutingState] = [Fixtures.api: .single(Fixtures.api, Fixtures.east)]

    let scheduled = DrillMaintenance.of([soon, far, paused, region], running: [], routing: routing, now: now)
    #expect(scheduled.map(\.id) == [soon.id, region.id])
    #expect(scheduled.map(\.status) == ["scheduled", "scheduled"])
    #expect(scheduled.last?.services == [Fixtures.api])
    #expect(scheduled.first?.scheduledUntil == instant("2026-06-03T10:20:00Z"))

    let running = DrillMaintenance.of([soon], running: [run], routing: routing, now: now)
    #expect(running.map(\.status) == ["verifying"])
  }
}
