import ArgumentParser
import Foundation

/// `switchboard status`: every service's routing and health per region, workflows and overrides, from the API.
struct StatusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Show every service's routing, health per region, workflows and overrides.")

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
      throw Terminal.failure("status", "\(error)")
    }
    if json {
      print(String(decoding: answer.body, as: UTF8.self))
      return
    }
    for service in document["services"] as? [[String: Any]] ?? [] {
      print(Self.summary(service))
    }
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
