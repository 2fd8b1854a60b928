/// Container capacity per region (ECS in production): read a service's counts, set its desired count.
public protocol CapacityProvider: Sendable {
  /// The service's desired and running counts in a region; throws when it does not exist.
  func counts(region: RegionID, cluster: String, service: String) async throws -> ServiceCapacity
  /// Sets the service's desired count in a region.
  func setDesiredCount(_ count: Int, region: RegionID, cluster: String, service: String) async throws
}

/// A container service's counts as its scheduler reports them.
public struct ServiceCapacity: Sendable, Hashable {
  /// Tasks wanted.
  public var desired: Int
  /// Tasks running.
  public var running: Int

  public init(desired: Int, running: Int) {
    self.desired = desired
    self.running = running
  }
}
