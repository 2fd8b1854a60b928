import Foundation

/// Checks that a configured file path names a readable PEM file, so `switchboard validate` reports a missing or
/// wrong certificate file with its key and line instead of the node failing when it first connects.
enum PEMFileCheck {
  /// The problem with the file at `path` (relative paths: from the working directory), nil when it is a readable
  /// file holding at least one PEM block (`-----BEGIN `); `key` names the setting in the sentence.
  static func problem(path: String, key: String) -> String? {
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
      return "`\(key)`: \(path) does not exist."
    }
    guard !isDirectory.boolValue else { return "`\(key)`: \(path) is a directory, not a PEM file." }
    guard manager.isReadableFile(atPath: path), let data = manager.contents(atPath: path) else {
      return "`\(key)`: \(path) cannot be read (check its permissions)."
    }
    guard data.range(of: Data("-----BEGIN ".utf8)) != nil else {
      return "`\(key)`: \(path) is not a PEM file (no `-----BEGIN` line)."
    }
    return nil
  }
}
