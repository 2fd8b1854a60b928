import ArgumentParser
import Configuration
import Foundation

/// Output helpers shared by the commands: results on stdout, problems on stderr, exit codes per the contract
/// (0 success, 1 error, 2 "differs").
enum Terminal {
  /// Writes a line to standard error.
  static func error(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }

  /// Reports a failure in one sentence on stderr and gives the exit code 1 to throw.
  static func failure(_ command: String, _ sentence: String) -> ExitCode {
    error("switchboard \(command): \(sentence)")
    return ExitCode.failure
  }
}

extension Terminal {
  /// The configuration at `path`, or every problem on stderr and `command` failing with one sentence; then the
  /// store it names, which must exist (these commands read a store, they never create one).
  static func existingStore(config path: String, for command: String) throws -> SwitchboardConfig {
    let loaded: SwitchboardConfig
    do {
      loaded = try SwitchboardConfig.load(path: path)
    } catch {
      Terminal.error(error.description)
      throw Terminal.failure(command, "\(path) is not a valid configuration (problems listed above).")
    }
    guard loaded.storageBackend == .etcd || FileManager.default.fileExists(atPath: loaded.storagePath) else {
      throw Terminal.failure(
        command, "There is no store at \(loaded.storagePath) (nothing has been recorded yet).")
    }
    return loaded
  }
}
