import Configuration
import FailoverCore
import HTTPServer
import Switchboard

/// What a `SwitchboardApplication` takes besides the configuration: where to listen, HTTPS, the clock, and what to
/// run. `serve` sets them from its flags; tests swap in a manual clock and fake ports.
public struct ApplicationOptions: Sendable {
  /// The configuration file, re-read by `POST /api/v1/config/reload` and SIGHUP; nil when there is none to re-read.
  public var configurationPath: String?
  /// HTTP listen addresses; nil listens where the configuration says (`listen`).
  public var listen: [ListenAddress]?
  /// HTTPS; nil uses the configuration's `tls:` section, when it has one.
  public var tls: TLSConfiguration?
  /// "Now" for the engine, the API and retention.
  public var clock: any FailoverCore.Clock
  /// How the engine paces itself; nil takes the configuration's (`EngineSettings(config:)`).
  public var engineSettings: EngineSettings?
  /// How the store commits: `.full` (fsync every commit) unless a test or a benchmark asks for speed.
  public var storeDurability: StoreDurability
  /// Whether `start` runs the engine's tick and alarm loops (tests call `engine.tick()` themselves).
  public var runsLoops: Bool
  /// Whether `start` opens the listeners (tests that call the router directly do not).
  public var listens: Bool
  /// Whether `start` runs the store's retention pruning.
  public var prunes: Bool
  /// Whether the router serves the dashboard (`public_directory`).
  public var servesDashboard: Bool
  /// Changes to the production ports before the engine is built (tests put fakes in).
  public var ports: @Sendable (inout EnginePorts) -> Void
  /// This node's identity in a cluster (`serve --node-id`); nil means the first HTTP listen address (`HOST:PORT`),
  /// so nodes sharing one configuration file differ by their `--listen`.
  public var nodeID: String?
  /// The URL other nodes and clients reach this node's API at (`serve --advertise-url`); nil means
  /// `http://` + the first HTTP listen address.
  public var advertiseURL: String?

  public init(
    configurationPath: String? = nil, listen: [ListenAddress]? = nil, tls: TLSConfiguration? = nil,
    clock: any FailoverCore.Clock = SystemClock(), engineSettings: EngineSettings? = nil,
    storeDurability: StoreDurability = .full, runsLoops: Bool = true, listens: Bool = true,
    prunes: Bool = true,
    servesDashboard: Bool = true, ports: @escaping @Sendable (inout EnginePorts) -> Void = { _ in }
  ) {
    self.configurationPath = configurationPath
    self.listen = listen
    self.tls = tls
    self.clock = clock
    self.engineSettings = engineSettings
    self.storeDurability = storeDurability
    self.runsLoops = runsLoops
    self.listens = listens
    self.prunes = prunes
    self.servesDashboard = servesDashboard
    self.ports = ports
  }

  /// The node's identity in force: `nodeID`, or the first listen address.
  public func resolvedNodeID(config: SwitchboardConfig) -> String {
    nodeID ?? (listen?.first ?? config.listen).description
  }

  /// The API URL in force: `advertiseURL`, or `http://` + the first listen address.
  public func resolvedAdvertiseURL(config: SwitchboardConfig) -> String {
    advertiseURL ?? "http://\((listen?.first ?? config.listen).description)"
  }
}

/// How the store commits.
public enum StoreDurability: Sendable {
  /// Every commit is fsynced: survives process kills and power loss.
  case full
  /// Commits are fsynced at checkpoints: survives process kills, not power loss. Faster.
  case normal
}
