import AWS
import ArgumentParser
import Foundation
import Provisioning
import Switchboard

/// `switchboard plan --config FILE`: what differs between the configuration and Route53/CloudWatch.
/// Exit 0 when nothing does, 2 when something does, 1 on error.
struct PlanCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Show drift between the configuration and Route53/CloudWatch (exit 2 if any).")

  @OptionGroup var options: ProvisioningOptions

  func run() async throws {
    let logs = ProvisioningOptions.startLogging()
    defer { logs.flush() }
    let context = try await options.context(command: "plan")
    // Where traffic is and why, when a failover moved it: plan measures drift against that, never undoes it.
    for sentence in context.routingSentences { print(sentence) }
    var all: [Drift] = []
    for state in context.states {
      let drifts: [Drift]
      do {
        drifts = try await context.provisioner.plan(state)
      } catch {
        throw Terminal.failure("plan", ProvisioningFailure.sentence(error))
      }
      if context.states.count > 1 { print("Hosted zone \(state.zoneDomain):") }
      for drift in drifts { print(drift.description) }
      all += drifts
    }
    if context.config.services.contains(where: { $0.runbook != nil }) {
      let clients = AWSClients(config: context.config, environment: ProcessInfo.processInfo.environment)
      do {
        let drifts = try await RunbookResourceCheck.drifts(
          services: context.config.services, ecs: clients.ecs, rds: clients.rds)
        for drift in drifts { print(drift.description) }
        all += drifts
      } catch {
        throw Terminal.failure("plan", "The runbooks' ECS services and databases could not be read: \(error)")
      }
    }
    if let alarm = context.heartbeatAlarm {
      do {
        let drifts = try await context.provisioner.plan(alarm: alarm)
        for drift in drifts { print(drift.description) }
        all += drifts
      } catch {
        throw Terminal.failure("plan", ProvisioningFailure.sentence(error))
      }
      if let warning = HeartbeatAlarm.silenceWarning(config: context.config) { Terminal.error(warning) }
    }
    var recordDrift = 0
    for provisioning in context.records {
      print("Service \(provisioning.service.id) (RFC 2136):")
      do {
        let differences = try await provisioning.plan()
        for difference in differences { print(difference.description) }
        if differences.isEmpty { print("  the server holds the records Switchboard expects.") }
        recordDrift += differences.count
      } catch {
        throw Terminal.failure("plan", "\(error)")
      }
    }
    for service in context.builtin {
      print("Service \(service.id) is answered by Switchboard's built-in DNS server; nothing to provision.")
    }
    let total = all.count + recordDrift
    if total == 0 {
      print("No drift: Route53 and CloudWatch match \(options.config).")
    } else {
      print(
        "\(total) difference\(total == 1 ? "" : "s"); `switchboard bootstrap --config \(options.config)` fixes them."
      )
    }
    let code = recordDrift > 0 ? 2 : Drift.exitCode(all)
    if code != 0 { throw ExitCode(code) }
  }
}
