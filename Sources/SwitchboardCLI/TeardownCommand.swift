import ArgumentParser
import Foundation
import Provisioning
import Switchboard

/// `switchboard teardown --config FILE`: removes what bootstrap created (the configured records, and the health
/// checks, alarms and hosted zone carrying Switchboard's owner prefix); nothing else.
struct TeardownCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "teardown", abstract: "Remove the Route53 and CloudWatch resources bootstrap created.")

  @OptionGroup var options: ProvisioningOptions

  @Flag(help: "Print what would be deleted; change nothing.")
  var dryRun = false

  func run() async throws {
    let logs = ProvisioningOptions.startLogging()
    defer { logs.flush() }
    let context = try await options.context(command: "teardown")
    for state in context.states {
      if context.states.count > 1 { print("Hosted zone \(state.zoneDomain):") }
      do {
        let report = try await context.provisioner.teardown(state, dryRun: dryRun)
        print(
          report.isEmpty ? "Nothing to remove: bootstrap's resources are already gone." : report.description)
      } catch {
        throw Terminal.failure("teardown", ProvisioningFailure.sentence(error))
      }
    }
    if let alarm = context.heartbeatAlarm {
      do {
        let report = try await context.provisioner.teardown(alarmNamed: alarm.name, dryRun: dryRun)
        if !report.isEmpty { print(report.description) }
      } catch {
        throw Terminal.failure("teardown", ProvisioningFailure.sentence(error))
      }
    }
    if dryRun { print("Dry run: nothing was changed.") }
  }
}
