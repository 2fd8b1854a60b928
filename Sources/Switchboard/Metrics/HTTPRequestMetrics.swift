import HTTPServer
import Prometheus

extension SwitchboardMetrics: ServerObserver {
  static var httpRequests: MetricNameDescriptor {
    .switchboard(
      "http_requests", unit: "total",
      help:
        "HTTP requests answered, by method, route pattern (unmatched when no route matched) and status code.")
  }
  static var httpDuration: MetricNameDescriptor {
    .switchboard(
      "http_request_duration", unit: "seconds",
      help: "Seconds from a request's arrival to its response's end, by method and route.")
  }
  static let httpBuckets: [Double] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
  ]
  /// Methods counted by name; any other token is counted as `other` (clients choose methods freely).
  static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

  /// Counts an answered request under its route pattern (never the raw path: bounded label values).
  public func requestCompleted(_ record: RequestRecord) {
    let method = Self.knownMethods.contains(record.method.rawValue) ? record.method.rawValue : "other"
    let route = record.routePattern ?? "unmatched"
    registry.makeCounter(
      descriptor: Self.httpRequests,
      labels: [("method", method), ("route", route), ("status", String(record.status))]
    ).increment()
    registry.makeValueHistogram(
      descriptor: Self.httpDuration, labels: [("method", method), ("route", route)], buckets: Self.httpBuckets
    ).record(Double(record.durationNanoseconds) / 1e9)
  }
}
