import FailoverCore
import Foundation
import HTTPServer

/// `GET /api/v1/services/{service}/observations`: every signal's recent observations per region, from the store's
/// health history (what the dashboard's latency and status chart draws).
public enum ObservationRoutes {
  /// How many observations per signal when the request names no `limit`.
  static let defaultLimit = 60

  /// Registers the route.
  public static func register(in router: inout Router, context: APIContext) {
    router.api(.GET, "/api/v1/services/{service}/observations", role: .viewer, context: context) {
      request, _ in
      var query = QueryParameters(request)
      let limit = query.integer("limit", in: 1...500) ?? defaultLimit
      try query.finish()
      let (service, snapshot) = try await ServiceRoutes.service(request, context)
      var signals: [SignalHistoryRepresentation] = []
      for region in snapshot.regions {
        for signal in region.signals {
          let observations: [Observation]
          do {
            observations = try await context.store.recentObservations(signal: signal.key, limit: limit)
          } catch {
            throw APIError.unavailable("The health history cannot be read from the store: \(error)")
          }
          signals.append(
            SignalHistoryRepresentation(signal, region: region.region, observations: observations))
        }
      }
      return APIJSON.response(
        ServiceObservationsRepresentation(service: service.id.rawValue, signals: signals))
    }
  }
}
