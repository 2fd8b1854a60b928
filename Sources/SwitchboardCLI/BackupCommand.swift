import ArgumentParser
import Configuration
import FailoverCore
import Foundation
import SwitchboardApplication

/// `switchboard backup --config FILE --to PATH`: an online copy of the store, checked before it is called good.
struct BackupCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backup",
    abstract: "Copy the store to a new file while serve keeps running, then verify the copy's audit chain.")

  @Option(help: "The configuration file (YAML); its storage.path names the store.")
  var config: String

  @Option(help: "The new file to write (never overwritten).")
  var to: String

  func run() async throws {
    let loaded = try Terminal.existingStore(config: config, for: "backup")
    guard loaded.storageBackend == .sqlite else {
      throw Terminal.failure("backup", StoreOpening.etcdBackupRefusal)
    }
    let path = loaded.storagePath
    let started = Date()
    do {
      try StoreOpening.backup(path: path, to: to)
    } catch {
      throw Terminal.failure("backup", "Cannot back up \(path) to \(to): \(error)")
    }
    let milliseconds = Int(Date().timeIntervalSince(started) * 1000)
    let verification: ChainVerification
    do {
      verification = try await StoreOpening.open(path: to).verifyChain()
    } catch {
      throw Terminal.failure("backup", "The copy at \(to) cannot be read back: \(error)")
    }
    switch verification {
    case .intact(let count, let head):
      print(
        "\(to): backup of \(path) in \(milliseconds) ms; audit chain intact (\(count) events, head \(head))")
    case .broken(let link):
      print(
        "\(to): backup of \(path) written, but its audit chain is broken at event \(link.seq): \(link.problem)"
      )
      throw ExitCode.failure
    }
  }
}
