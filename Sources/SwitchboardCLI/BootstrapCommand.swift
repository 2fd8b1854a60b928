import ArgumentParser
import Foundation
import Provisioning
import Switchboard

/// `switchboard bootstrap --config FILE [--dry-run] [--create-zone]`: creates or updates the health checks,
/// records and alarms the configuration needs (idempotent: a second run sends nothing).
struct BootstrapCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bootstrap",
    abstract: "Create the Route53 health checks, records and CloudWatch alarms the configuration needs.")

  @OptionGroup var options: ProvisioningOptions

  @Flag(help: "Print what would be created and the change batches; change nothing.")
  var dryRun = false

  @Flag(help: "Create a missing hosted zone (otherwise a missing zone is an error).")
  var createZone = false

  func run() async throws {
    let logs = ProvisioningOptions.startLogging()
    defer { logs.flush() }
    let context = try await options.context(command: "bootstrap")
    for sentence in context.routingSentences { print(sentence) }
    for state in context.states {
      if context.states.count > 1 { print("Hosted zone \(state.zoneDomain):") }
      do {
        let report = try await context.provisioner.bootstrap(state, dryRun: dryRun, createZone: createZone)
        print(report.description)
      } catch {
        throw Terminal.failure("bootstrap", ProvisioningFailure.sentence(error))
      }
    }
    for provisioning in context.records {
      do {
        for line in try await provisioning.bootstrap(dryRun: dryRun) { print(line) }
      } catch {
        throw Terminal.failure("bootstrap", "\(error)")
      }
    }
    if let alarm = context.heartbeatAlarm {
      do {
        let report = try await context.provisioner.bootstrap(alarm: alarm, dryRun: dryRun)
        if !report.isEmpty { print(report.description) }
      } catch {
        throw Terminal.failure("bootstrap", ProvisioningFailure.sentence(error))
      }
      if let warning = HeartbeatAlarm.silenceWarning(config: context.config) { Terminal.error(warning) }
    }
    if dryRun { print("Dry run: nothing was changed.") }
  }
}
