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

/// Where the shared files are, from the environment and the home directory, as the CLI finds them.
public struct SharedConfigLocation: Sendable, Hashable {
  /// The environment variables to read (`AWS_PROFILE`, `AWS_CONFIG_FILE`, ...).
  public var environment: [String: String]
  /// The home directory `~` stands for.
  public var homeDirectory: String

  /// A location over an explicit environment and home directory (tests, embedding).
  public init(environment: [String: String], homeDirectory: String) {
    self.environment = environment
    self.homeDirectory = homeDirectory
  }

  /// This process's environment and home directory.
  public static var process: SharedConfigLocation {
    SharedConfigLocation(
      environment: ProcessInfo.processInfo.environment, homeDirectory: NSHomeDirectory())
  }

  /// `AWS_PROFILE`, else `default`.
  public var profileName: String {
    let name = environment["AWS_PROFILE"] ?? environment["AWS_DEFAULT_PROFILE"] ?? ""
    return name.isEmpty ? "default" : name
  }

  /// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`.
  public var credentialsPath: String {
    expand(environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials")
  }

  /// `AWS_CONFIG_FILE`, else `~/.aws/config`.
  public var configPath: String {
    expand(environment["AWS_CONFIG_FILE"] ?? "~/.aws/config")
  }

  /// The shared credentials file (empty when absent).
  public func loadCredentialsFile() -> SharedConfigFile { SharedConfigFile.load(path: credentialsPath) }
  /// The shared config file (empty when absent).
  public func loadConfigFile() -> SharedConfigFile { SharedConfigFile.load(path: configPath) }

  /// The region: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, else `us-east-1`.
  public var region: String {
    if let region = environment["AWS_REGION"], !region.isEmpty { return region }
    if let region = environment["AWS_DEFAULT_REGION"], !region.isEmpty { return region }
    if let region = loadConfigFile().configProfile(profileName)?["region"], !region.isEmpty { return region }
    return "us-east-1"
  }

  private func expand(_ path: String) -> String {
    if path == "~" { return homeDirectory }
    if path.hasPrefix("~/") { return homeDirectory + String(path.dropFirst(1)) }
    return path
  }
}
