import FailoverCore
import Foundation

/// Shared scenario fixtures: the seed recipe's two regions and a fixed start instant.
enum Fixtures {
  static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
  static let east: RegionID = "us-east-1"
  static let west: RegionID = "us-west-2"
  static let central: RegionID = "eu-central-1"
  static let api: ServiceID = "api.example.com"

  static func probe(_ port: Int) -> SignalSpec {
    .httpProbe(HTTPProbeSpec(url: "http://127.0.0.1:\(port)/health", interval: 1, failureThreshold: 3))
  }

  static func service(mode: RoutingMode = .record, regions: [RegionID] = [east, west]) -> Service {
    Service(
      id: api, dnsName: "api.example.com", hostedZone: "example.com", recordType: "A", ttl: 60,
      routingMode: mode,
      regions: regions.enumerated().map { index, region in
        ServiceRegion(
          region: region, target: "192.0.2.\(10 + index)", weight: 100, signals: [probe(9001 + index)])
      })
  }

  static func health(_ status: HealthStatus, since: Date = t0, region: RegionID = east) -> Health {
    Health(
      status: status, decidedBy: SignalKey(service: api, region: region, name: "probe"),
      reason: "probe says \(status.rawValue)", since: since)
  }

  static func override(
    _ kind: OverrideKind, scope: OverrideScope = .service(api), target: RegionID? = nil,
    allowUnhealthy: Bool = false, createdAt: Date = t0, hours: Double = 4, id: String = "ov-1"
  ) -> Override {
    Override(
      id: id, scope: scope, kind: kind, targetRegion: target, allowUnhealthyTarget: allowUnhealthy,
      actor: "alice",
      reason: "maintenance", createdAt: createdAt, expiresAt: createdAt.addingTimeInterval(hours * 3600))
  }

  static func transition(at: Date, trigger: TransitionTrigger = .automatic, service: ServiceID = api)
    -> Transition
  {
    Transition(
      service: service, from: .single(service, east), to: .single(service, west), trigger: trigger, at: at)
  }
}
