import HTTPServer
import Prometheus
import Switchboard

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
    let key = HTTPSeriesKey(method: method, route: record.routePattern ?? "unmatched", status: record.status)
    let series = httpSeries.withLock { cache in
      if let found = cache[key] { return found }
      let made = HTTPSeries(
        requests: registry.makeCounter(
          descriptor: Self.httpRequests,
          labels: [("method", key.method), ("route", key.route), ("status", String(key.status))]),
        duration: registry.makeValueHistogram(
          descriptor: Self.httpDuration, labels: [("method", key.method), ("route", key.route)],
          buckets: Self.httpBuckets))
      cache[key] = made
      return made
    }
    series.requests.increment()
    series.duration.record(Double(record.durationNanoseconds) / 1e9)
  }
}

/// The labels of one request's series.
struct HTTPSeriesKey: Hashable, Sendable {
  var method: String
  var route: String
  var status: Int
}

/// The counter and histogram a request with given labels lands in.
struct HTTPSeries: Sendable {
  var requests: Counter
  var duration: ValueHistogram
}
