import Foundation

/// What one HTTP probe attempt produced, as the prober reports it.
public enum HTTPProbeResult: Sendable, Hashable {
  /// A response arrived: its status, up to the first 5,120 bytes of its body, and the time to the response.
  case response(status: Int, body: Data, latency: Double)
  /// No usable response: a connection error or timeout, in words.
  case failure(reason: String, latency: Double?)
}

/// Interprets an HTTP probe result the way Route53 does, plus the seeds' JSON health bodies.
public enum ProbeVerdict {
  /// Route53 searches only this many bytes of the body for the match string.
  public static let bodySearchLimit = 5120

  /// The observation for one probe result. Its reason says what happened, not which URL was probed: the signal's
  /// name ("probe URL") stands beside it wherever it is shown.
  public static func observe(_ result: HTTPProbeResult, spec: HTTPProbeSpec, key: SignalKey, at: Date)
    -> Observation
  {
    switch result {
    case .failure(let reason, let latency):
      return Observation(
        signal: key, status: .unhealthy, latency: latency, reason: reason, at: at)
    case .response(let status, let body, let latency):
      let (verdict, reason) = judge(status: status, body: body, latency: latency, spec: spec)
      return Observation(
        signal: key, status: verdict, latency: latency, reason: reason, at: at)
    }
  }

  private static func judge(status: Int, body: Data, latency: Double, spec: HTTPProbeSpec) -> (
    HealthStatus, String
  ) {
    let millis = Int((latency * 1000).rounded())
    guard spec.accepts(status: status) else {
      let expected =
        spec.expectedStatuses.isEmpty
        ? "2xx or 3xx" : spec.expectedStatuses.map(String.init).joined(separator: ", ")
      return (.unhealthy, "answered HTTP \(status), expected \(expected)")
    }
    let searched = body.prefix(bodySearchLimit)
    if let match = spec.bodyMatch, !match.isEmpty, searched.range(of: Data(match.utf8)) == nil {
      return (
        .unhealthy,
        "answered HTTP \(status) but the first \(bodySearchLimit) bytes do not contain \"\(match)\""
      )
    }
    if let reported = selfReportedStatus(searched) {
      if reported == "unhealthy" {
        return (.unhealthy, "answered HTTP \(status) but reports itself unhealthy")
      }
    }
    if let budget = spec.latencyBudget, latency > budget {
      return (
        .degraded,
        "answered HTTP \(status) in \(millis) ms, over the \(Int((budget * 1000).rounded())) ms budget"
      )
    }
    return (.healthy, "answered HTTP \(status) in \(millis) ms")
  }

  /// The `status` field of a seed-style JSON health body (`{"status":"healthy"|"unhealthy", ...}`), lowercased.
  public static func selfReportedStatus(_ body: Data) -> String? {
    guard body.first(where: { !$0.isASCIIWhitespace }) == UInt8(ascii: "{"),
      let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
      let status = object["status"] as? String
    else { return nil }
    let lowered = status.lowercased()
    return lowered == "healthy" || lowered == "unhealthy" ? lowered : nil
  }
}

extension UInt8 {
  fileprivate var isASCIIWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}
