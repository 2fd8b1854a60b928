import Foundation

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
