import FailoverCore
import Foundation
import Provisioning

/// One Route53 change a move would send, exactly as the workflow would send it.
public struct DNSChangeRepresentation: Sendable, Hashable, Encodable {
  public var action: String
  public var hostedZone: String
  public var name: String
  public var type: String
  public var ttl: Int
  @Nullable public var setIdentifier: String?
  @Nullable public var weight: Int?
  @Nullable public var failover: String?
  public var values: [String]

  public init(_ record: DNSRecord, hostedZone: String) {
    action = "UPSERT"
    self.hostedZone = hostedZone
    name = record.name
    type = record.type
    ttl = record.ttl ?? 0
    values = record.values
    switch record.routing {
    case .simple: break
    case .weighted(let weight, let identifier):
      self.weight = weight
      setIdentifier = identifier
    case .failover(let role, let identifier):
      failover = role.rawValue
      setIdentifier = identifier
    }
  }
}

/// How long until clients move, in seconds: detection + propagation + TTL.
public struct PredictedTime: Sendable, Hashable, Encodable {
  /// The slowest signal of the region traffic leaves (its own and the region's): a probe's interval × failure
  /// threshold, an alarm's or Route53 health check's poll interval (CloudWatch's and Route53's own evaluation
  /// comes before and is theirs). A manual move needs no detection: this is the automatic path's figure.
  public var detection: Double
  /// Route53's allowance: a change reaching INSYNC (`record`, `weighted`, about 60 s), or its health checkers
  /// noticing the routing endpoint's answer (`failover-health-check`: 10 s × 2 failures + 60 s).
  public var propagation: Double
  /// The record's TTL: resolvers may keep the old answer this long.
  public var ttl: Double
  /// The sum.
  public var total: Double

  /// The prediction for moving `service` away from `leaving`, whose region-wide signals are in `regions`, with
  /// alarm and Route53 health-check signals read every `alarmPollInterval` seconds.
  public init(service: Service, leaving: RegionID?, regions: [Region] = [], alarmPollInterval: Double) {
    let left = leaving.map { [$0] } ?? service.regionIDs
    let signals =
      left.flatMap { service.region($0)?.signals ?? [] }
      + regions.filter { left.contains($0.id) }.flatMap(\.signals)
    detection =
      signals.map { signal -> Double in
        switch signal {
        case .httpProbe(let probe): probe.interval * Double(probe.failureThreshold)
        case .cloudWatchAlarm, .route53HealthCheck: alarmPollInterval * Double(signal.failureThreshold)
        }
      }.max() ?? 0
    switch service.routingMode {
    case .record, .weighted: propagation = Self.route53Propagation
    case .failoverHealthCheck:
      propagation =
        Double(10 * HealthCheckMapping.routingEndpointFailureThreshold) + Self.route53Propagation
    }
    ttl = Double(service.ttl)
    total = detection + propagation + ttl
  }

  /// Route53's documented bound for a change to reach all its authoritative servers.
  public static let route53Propagation: Double = 60
}

/// A dry-run plan for moving a service to a region.
public struct WhatIfRepresentation: Sendable, Hashable, Encodable {
  public var service: String
  public var targetRegion: String
  public var decision: DecisionRepresentation
  public var wouldProceed: Bool
  public var blockedBy: [String]
  public var dnsChanges: [DNSChangeRepresentation]
  public var predictedSeconds: PredictedTime
  public var explanation: String
  /// The runbook steps the move would run, in order, each with `predicted_seconds`.
  public var runbook: [RunbookPredictionRepresentation] = []
}
