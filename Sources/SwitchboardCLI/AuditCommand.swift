import ArgumentParser
import Configuration
import FailoverCore
import Foundation
import Switchboard
import SwitchboardApplication

/// `switchboard audit verify --config FILE`: checks the hash chain of the event log.
struct AuditCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit", abstract: "Inspect the audit log.", subcommands: [VerifyCommand.self])

  /// Exit 0 when every event links to the one before it; exit 1 at the first broken link.
  struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "verify", abstract: "Verify the audit log's hash chain; exit 1 at the first broken link.")

    @Option(help: "The configuration file (YAML); its storage section names the store (SQLite file or etcd).")
    var config: String

    func run() async throws {
      let loaded = try Terminal.existingStore(config: config, for: "audit verify")
      let path = StoreOpening.describe(loaded)
      let verification: ChainVerification
      let checkpoint: ChainCheckpoint?
      do {
        let store = try StoreOpening.open(config: loaded)
        verification = try await store.verifyChain()
        checkpoint = try await store.chainCheckpoint()
      } catch {
        throw Terminal.failure("audit verify", "Cannot read the store at \(path): \(error)")
      }
      if let checkpoint { print("\(path): \(checkpoint)") }
      switch verification {
      case .intact(let count, let head):
        let retained = checkpoint == nil ? "" : " retained since the checkpoint"
        print("\(path): audit chain intact (\(count) events\(retained), head \(head))")
      case .broken(let link):
        print("\(path): audit chain broken at event \(link.seq): \(link.problem)")
        print("  expected: \(link.expected)")
        print("  found:    \(link.found)")
        throw ExitCode.failure
      }
    }
  }
}
