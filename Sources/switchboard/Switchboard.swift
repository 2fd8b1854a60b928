import ArgumentParser

/// The `switchboard` command line (see ARCHITECTURE.md's command-line contract).
@main
struct SwitchboardCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "switchboard",
    abstract: "A self-hosted control plane for multi-region failover.",
    subcommands: [ServeCommand.self, HTTPBenchTargetCommand.self, SampleRegionCommand.self, ProbeBenchCommand.self]
  )
}
