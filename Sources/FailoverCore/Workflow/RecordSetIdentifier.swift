/// The one naming of the set identifiers of a service's weighted and failover records, shared by bootstrap,
/// the workflow, plan, teardown and verification, so every path writes and finds the same record sets.
public enum RecordSetIdentifier {
  /// The set identifier of a service's record in a region: `<service>/<region>`. The service id in it keeps it
  /// unique per name (two services in one zone never share one).
  public static func canonical(service: ServiceID, region: RegionID) -> String {
    "\(service.rawValue)/\(region.rawValue)"
  }

  /// The set identifier earlier workflows wrote for weighted records: the bare region id. Records of a service's
  /// name and type under it are replaced (DELETE legacy, UPSERT canonical, in one change batch) wherever they
  /// are found, so a failed region keeps no weight through a forgotten record.
  public static func legacy(region: RegionID) -> String { region.rawValue }

  /// The region a legacy set identifier stands for, when it is one of the service's regions.
  public static func legacyRegion(_ setIdentifier: String, of service: Service) -> RegionID? {
    service.regions.map(\.region).first { legacy(region: $0) == setIdentifier }
  }
}
