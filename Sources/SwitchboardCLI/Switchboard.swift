import ArgumentParser

/// The `switchboard` command line (see ARCHITECTURE.md's command-line contract).
@main
struct SwitchboardCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "switchboard",
    abstract: "A self-hosted control plane for multi-region failover.",
    subcommands: [
      ServeCommand.self, DemoCommand.self, ValidateCommand.self, BackupCommand.self, PlanCommand.self,
      BootstrapCommand.self,
      TeardownCommand.self,
      TokenCommand.self, AuditCommand.self, SampleRegionCommand.self, HTTPBenchTargetCommand.self,
      ProbeBenchCommand.self, StatusCommand.self, OverrideCommand.self, StoreGrowthBenchCommand.self,
    ]
  )
}
