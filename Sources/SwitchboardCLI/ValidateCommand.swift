import ArgumentParser
import Configuration
import Foundation
import Switchboard

/// `switchboard validate FILE`: every problem as `FILE:line:column: message` (exit 1), or a one-line summary.
struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate", abstract: "Check a configuration file and list every problem.")

  @Argument(help: "The configuration file (YAML).")
  var file: String

  func run() throws {
    do {
      let config = try SwitchboardConfig.load(path: file)
      let services = config.services.count
      let regions = config.regions.count
      print(
        "\(file): valid (\(services) service\(services == 1 ? "" : "s"), "
          + "\(regions) region\(regions == 1 ? "" : "s"))")
    } catch {
      print(error.description)
      let count = error.problems.count
      Terminal.error("\(file): \(count) problem\(count == 1 ? "" : "s").")
      throw ExitCode.failure
    }
  }
}
