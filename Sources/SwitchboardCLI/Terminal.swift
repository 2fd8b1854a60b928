import ArgumentParser
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
