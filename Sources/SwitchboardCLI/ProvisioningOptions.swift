import AWS
import ArgumentParser
import Configuration
import FailoverCore
import Foundation
import HTTPServer
import Logging
import Provisioning
import Store
import Switchboard
import SwitchboardApplication

/// The options plan, bootstrap and teardown share.
struct ProvisioningOptions: ParsableArguments {
  @Option(help: "The configuration file (YAML).")
  var config: String

  @Option(
    help: ArgumentHelp(
      "Switchboard's public base URL, probed by the Route53 health checks of failover-health-check services "
        + "(default: \(RoutingEndpoint.environmentVariable), else the tls.listen or listen address).",
      valueName: "URL"))
  var publicURL: String?

  /// Starts logging for a provisioning command: warnings and worse unless `SWITCHBOARD_LOG_LEVEL` asks for more
  /// (`info` shows each failed AWS call), so a failure reads as the one sentence the command prints.
  static func startLogging() -> BufferedLogHandler.Sink {
    let requested = ProcessInfo.processInfo.environment["SWITCHBOARD_LOG_LEVEL"]
    return LoggingSetup.bootstrap(
      level: requested.flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .warning)
  }

  /// What a provisioning command works on: the desired state per hosted zone, the provisioner, and where the
  /// store says each service's traffic goes.
  struct Context {
    var config: SwitchboardConfig
    var states: [DesiredState]
    var provisioner: Provisioner
    var recorded: [ServiceID: RecordedRouting]
    /// The services whose records live on an RFC 2136 server, with their provider.
    var records: [RecordProvisioning] = []
    /// The services the built-in DNS server answers for (nothing to provision).
    var builtin: [Service] = []
    /// The alarm on the cluster's CloudWatch heartbeat; nil when the configuration uses no AWS.
    var heartbeatAlarm: MetricAlarm?

    /// One line per service whose traffic is not where the configuration alone would put it (after a failover).
    var routingSentences: [String] {
      config.services.compactMap { service in
        guard let routing = recorded[service.id], routing.differsFromConfiguration(service) else {
          return nil
        }
        return routing.sentence(for: service)
      }
    }
  }

  /// Loads the configuration and the services' recorded routing (the store at `storage.path`), maps them to
  /// desired states and builds the AWS clients; failures are one sentence on stderr and exit code 1.
  func context(command: String) async throws -> Context {
    let environment = ProcessInfo.processInfo.environment
    let loaded: SwitchboardConfig
    do {
      loaded = try SwitchboardConfig.load(path: config, environment: environment)
    } catch {
      let count = error.problems.count
      Terminal.error(error.description)
      throw Terminal.failure(
        command,
        "\(config) is not a valid configuration (\(count) problem\(count == 1 ? "" : "s"), listed above); "
          + "fix it and run `switchboard validate \(config)`.")
    }
    let recorded: [ServiceID: RecordedRouting]
    do {
      let store =
        loaded.storageBackend == .etcd || FileManager.default.fileExists(atPath: loaded.storagePath)
        ? try StoreOpening.open(config: loaded) : nil
      recorded = try await RecordedRouting.load(from: store, services: loaded.services)
    } catch {
      throw Terminal.failure(
        command,
        "Cannot read where traffic goes from the store at \(StoreOpening.describe(loaded)): \(error). Plan and bootstrap "
          + "need it so they never undo a failover.")
    }
    let dns: ConfiguredDNS
    do { dns = try ConfiguredDNS(config: loaded) } catch {
      throw Terminal.failure(command, error.description)
    }
    do {
      var endpoint: RoutingEndpoint?
      let explicit = publicURL ?? environment[RoutingEndpoint.environmentVariable]
      if DesiredStateBuilder.needsRoutingEndpoint(loaded) {
        endpoint = try RoutingEndpoint.resolve(explicit: explicit, config: loaded)
      } else if let publicURL {
        // Not needed by these services, but a mistyped flag should still be said.
        _ = try RoutingEndpoint(parsing: publicURL)
      }
      let states = try DesiredStateBuilder(
        config: loaded, routingEndpoint: endpoint, routing: recorded.mapValues(\.state),
        zoneIDOrigins: loaded.hostedZoneIDLocations.mapValues { "\(config):\($0)" }
      ).build()
      let clients = AWSClients(config: loaded, environment: environment)
      let records = loaded.services(using: .rfc2136).map { service in
        RecordProvisioning(
          service: service, routing: recorded[service.id]?.state ?? .initial(for: service),
          provider: dns.provider(for: service, route53: clients.route53))
      }
      return Context(
        config: loaded, states: states, provisioner: clients.provisioner(), recorded: recorded,
        records: records,
        builtin: loaded.services(using: .builtin),
        heartbeatAlarm: AWSDependencies.publishesMetrics(loaded) ? HeartbeatAlarm.alarm(config: loaded) : nil)
    } catch {
      throw Terminal.failure(command, error.description)
    }
  }
}
