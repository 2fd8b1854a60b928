import Foundation

/// An AWS shared `config` or `credentials` file: sections of `key = value`, with indented sub-keys.
///
/// Sub-keys (as under `route_53 =` in a `[services ...]` section) are stored as `parent.child`.
public struct SharedConfigFile: Sendable, Hashable {
  /// Section name (as written between the brackets, trimmed) → keys.
  public var sections: [String: [String: String]]

  /// A configuration from already-parsed sections.
  public init(sections: [String: [String: String]] = [:]) {
    self.sections = sections
  }

  /// Parses the text of a file; unknown lines are ignored, as the CLI does.
  public init(text: String) {
    var sections: [String: [String: String]] = [:]
    var current: String?
    var parentKey: String?
    for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      let line = String(rawLine)
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
      if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") {
        let name = trimmed.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
        current = name
        parentKey = nil
        if sections[name] == nil { sections[name] = [:] }
        continue
      }
      guard let section = current, let equals = trimmed.firstIndex(of: "=") else { continue }
      let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
      let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
      let indented = line.first == " " || line.first == "\t"
      if indented, let parent = parentKey {
        sections[section]?["\(parent).\(key)"] = value
      } else {
        sections[section]?[key] = value
        parentKey = value.isEmpty ? key : nil
      }
    }
    self.sections = sections
  }

  /// Reads a file; an absent file is an empty configuration.
  public static func load(path: String) -> SharedConfigFile {
    guard let data = FileManager.default.contents(atPath: path) else { return SharedConfigFile() }
    return SharedConfigFile(text: String(decoding: data, as: UTF8.self))
  }

  /// The keys of a profile in a `credentials` file (`[name]`).
  public func credentialsProfile(_ name: String) -> [String: String]? { sections[name] }

  /// The keys of a profile in a `config` file (`[default]` or `[profile name]`).
  public func configProfile(_ name: String) -> [String: String]? {
    if name == "default", let section = sections["default"] { return section }
    return sections["profile \(name)"]
  }

  /// The keys of a `[services name]` section of a `config` file.
  public func servicesSection(_ name: String) -> [String: String]? { sections["services \(name)"] }
}
