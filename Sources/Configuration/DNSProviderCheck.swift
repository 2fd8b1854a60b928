import FailoverCore
import Foundation
import Yams

/// The checks that need the whole file and the environment: each service's provider against its routing mode
/// and the `dns:` section, and the TSIG secret's presence.
enum DNSProviderCheck {
  static func check(
    _ config: SwitchboardConfig, root: Node, serviceNodes: [Node], problems: ProblemList
  ) {
    let dnsNode = root.mapping?["dns"]
    var zoneProviders: [String: (provider: DNSProviderChoice, service: ServiceID)] = [:]
    for (index, service) in config.services.enumerated() {
      let node = index < serviceNodes.count ? serviceNodes[index] : nil
      let providerMark = node?.mapping?.first { $0.key.string == "provider" }?.value.mark ?? node?.mark
      // DNS changes are routed by zone: one zone, one provider.
      let provider = config.dnsProvider(for: service.id)
      let zone = service.hostedZone.lowercased()
      if let first = zoneProviders[zone], first.provider != provider {
        problems.add(
          providerMark,
          "Service \(service.id) uses provider \(provider.rawValue) for the zone \(zone), but service "
            + "\(first.service) uses \(first.provider.rawValue); the services of one zone share one provider."
        )
      } else if zoneProviders[zone] == nil {
        zoneProviders[zone] = (provider, service.id)
      }
      switch config.dnsProvider(for: service.id) {
      case .route53:
        continue
      case .builtin:
        if service.routingMode == .failoverHealthCheck {
          problems.add(
            providerMark,
            "Service \(service.id) uses failover-health-check routing, which needs Route53 health checks; with "
              + "provider builtin use routing record or weighted.")
        }
      case .rfc2136:
        if service.routingMode != .record {
          problems.add(
            providerMark,
            "Service \(service.id) uses \(service.routingMode.rawValue) routing; provider rfc2136 supports routing "
              + "record only (a plain DNS server has no weights or health checks).")
        }
        guard let settings = config.dns.rfc2136 else {
          problems.add(
            providerMark,
            "Service \(service.id) uses provider rfc2136 but the file has no `dns.rfc2136` section (server, "
              + "tsig.name, tsig.secret or tsig.secret_env).")
          continue
        }
        if let zone = settings.zone, !isInside(service.dnsName, zone) {
          problems.add(
            providerMark,
            "Service \(service.id): \(service.dnsName) is not inside the RFC 2136 zone \(zone) (`dns.rfc2136.zone`)."
          )
        }
      }
    }
    if let settings = config.dns.rfc2136, !config.services(using: .rfc2136).isEmpty,
      settings.secret?.isEmpty ?? true
    {
      let tsig = dnsNode?.mapping?["rfc2136"]?.mapping?["tsig"]
      // Names, not values: everything under `tsig` is redacted from problems.
      let reason =
        settings.secretVariable == nil
        ? "set `dns.rfc2136.tsig.secret_env` (or `secret`, or SWITCHBOARD_TSIG_SECRET)"
        : "the environment variable `dns.rfc2136.tsig.secret_env` names is not set or empty"
      problems.add(tsig?.mark, "`dns.rfc2136.tsig` has no secret: \(reason).")
    } else if let settings = config.dns.rfc2136, let secret = settings.secret,
      Data(base64Encoded: secret) == nil,
      settings.secretVariable != nil
    {
      problems.add(
        dnsNode?.mapping?["rfc2136"]?.mapping?["tsig"]?.mark,
        "The environment variable `dns.rfc2136.tsig.secret_env` names must hold the key's base64 secret (its value "
          + "is not shown).")
    }
  }

  private static func isInside(_ name: String, _ zone: String) -> Bool {
    let name = name.lowercased()
    let zone = zone.lowercased()
    return name == zone || name.hasSuffix("." + zone)
  }
}
