extension RoutingState {
  /// The routing a service starts with before any workflow moved it: all traffic to the primary (`record` and
  /// `failover-health-check` modes), or the configured weights (`weighted`).
  public static func initial(for service: Service) -> RoutingState {
    switch service.routingMode {
    case .record, .failoverHealthCheck:
      guard let primary = service.primary else { return RoutingState(service: service.id, weights: [:]) }
      return .single(service.id, primary)
    case .weighted:
      return RoutingState(
        service: service.id,
        weights: Dictionary(service.regions.map { ($0.region, $0.weight) }, uniquingKeysWith: { a, _ in a }))
    }
  }
}
