import ArgumentParser
import Foundation

/// `switchboard status`: every service's routing and health per region, workflows and overrides, from the API.
/// Exits 0 all healthy, 1 degraded, 2 outage, 3 unknown or unreachable (`StatusExitCode`).
struct StatusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Show every service's routing, health per region, workflows and overrides.",
    discussion: "Exit codes (Nagios): 0 all healthy, 1 degraded, 2 outage, 3 unknown or unreachable.")

  @OptionGroup var api: APIOptions

  @Flag(help: "Print the API's JSON instead of the summary.")
  var json = false

  func run() async throws {
    let client = try api.client()
    let document: [String: Any]
    let answer: APIClient.Answer
    do {
      answer = try await client.send("GET", "/api/v1/services")
      document = try client.expect(answer, [200])
    } catch {
      // A check that cannot learn the health reports UNKNOWN, not an outage.
      Terminal.error("switchboard status: \(error)")
      throw StatusExitCode.unknown.exitCode
    }
    guard let services = document["services"] as? [[String: Any]] else {
      Terminal.error("switchboard status: the answer of /api/v1/services has no `services` list.")
      throw StatusExitCode.unknown.exitCode
    }
    if json {
      print(String(decoding: answer.body, as: UTF8.self))
    } else {
      for service in services { print(Self.summary(service)) }
    }
    let verdict = StatusExitCode.verdict(serviceHealths: services.map { $0["health"] as? String ?? "?" })
    if verdict != .healthy { throw verdict.exitCode }
  }

  static func summary(_ service: [String: Any]) -> String {
    let id = service["id"] as? String ?? "?"
    let active = service["active_region"] as? String ?? "split"
    var lines = [
      "\(id): \(service["health"] as? String ?? "?"), traffic → \(active) (\(service["routing_mode"] as? String ?? "?"))"
    ]
    for region in service["regions"] as? [[String: Any]] ?? [] {
      let health = region["health"] as? [String: Any] ?? [:]
      let marker = (region["receives_traffic"] as? Bool ?? false) ? "*" : " "
      lines.append(
        "  \(marker) \(region["region"] as? String ?? "?"): \(health["status"] as? String ?? "?") — "
          + "\(health["reason"] as? String ?? "")")
    }
    if let workflow = service["workflow"] as? [String: Any] {
      lines.append(
        "  workflow \(workflow["id"] as? String ?? "?") running: \((workflow["plan"] as? [String: Any])?["reason"] as? String ?? "")"
      )
    }
    for override in service["overrides"] as? [[String: Any]] ?? [] {
      lines.append(
        "  override \(override["summary"] as? String ?? "?") until \(override["expires_at"] as? String ?? "?")"
      )
    }
    if let decision = service["last_decision"] as? [String: Any],
      let text = decision["explanation"] as? String
    {
      lines.append("  last decision: \(text)")
    }
    return lines.joined(separator: "\n")
  }
}
