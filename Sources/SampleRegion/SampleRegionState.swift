import Synchronization

/// What a sample region is doing right now: healthy or failing, and how much latency it adds.
public struct SampleRegionState: Sendable, Hashable {
  /// The region's name, reported in every answer.
  public var region: String
  /// The version reported in health answers.
  public var version: String
  /// Whether `/health` answers 200 (true) or 503 (false).
  public var healthy: Bool
  /// Milliseconds added before every `/health` answer.
  public var latencyMilliseconds: Int

  public init(region: String, version: String = "1.0.0", healthy: Bool = true, latencyMilliseconds: Int = 0) {
    self.region = region
    self.version = version
    self.healthy = healthy
    self.latencyMilliseconds = latencyMilliseconds
  }
}
