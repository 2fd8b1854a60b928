import ArgumentParser
import Foundation

/// `switchboard override create|list|clear`: the human override flag, through the API.
struct OverrideCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "override", abstract: "Create, list or clear overrides (freeze, drain, force, block).",
    subcommands: [Create.self, List.self, Clear.self])

  struct Create: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create an override; prints its id.")

    @OptionGroup var api: APIOptions

    @Option(help: "global, region:ID or service:ID.")
    var scope: String

    @Option(help: "freeze, drain, force or block.")
    var kind: String

    @Option(
      help: "force: the region to route to; drain: the region to drain (when the scope is not that region).")
    var targetRegion: String?

    @Option(help: "Why (mandatory; recorded in the audit log).")
    var reason: String

    @Option(help: "How long: seconds or 30m, 4h, ... (default: the policy's, 4h).")
    var duration: String?

    @Flag(help: "force only: route even to an unhealthy target.")
    var allowUnhealthyTarget = false

    func run() async throws {
      var body: [String: Any] = ["scope": scope, "kind": kind, "reason": reason]
      if let targetRegion { body["target_region"] = targetRegion }
      if allowUnhealthyTarget { body["allow_unhealthy_target"] = true }
      if let duration {
        guard let seconds = DurationText.seconds(duration) else {
          throw ValidationError("--duration \(duration) is not a duration such as 90, 30m or 4h.")
        }
        body["duration_seconds"] = seconds
      }
      do {
        let client = try api.client()
        let created = try client.expect(try await client.send("POST", "/api/v1/overrides", json: body), [201])
        print(created["id"] as? String ?? "")
        Terminal.error(
          "Created \(created["summary"] as? String ?? "the override"), until \(created["expires_at"] as? String ?? "?")."
        )
      } catch let error as ValidationError {
        throw error
      } catch {
        throw Terminal.failure("override create", "\(error)")
      }
    }
  }

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List overrides in force (--all: also ended ones).")

    @OptionGroup var api: APIOptions

    @Flag(help: "Include expired and cleared overrides.")
    var all = false

    func run() async throws {
      do {
        let client = try api.client()
        let listed = try client.expect(
          try await client.send("GET", "/api/v1/overrides" + (all ? "?include=all" : "")), [200])
        for override in listed["overrides"] as? [[String: Any]] ?? [] {
          let state = (override["active"] as? Bool ?? false) ? "active" : "ended"
          print(
            "\(override["id"] as? String ?? "?")  \(state)  \(override["kind"] as? String ?? "?")  "
              + "\(override["scope"] as? String ?? "?")  until \(override["expires_at"] as? String ?? "?")  "
              + "by \(override["actor"] as? String ?? "?"): \(override["reason"] as? String ?? "")")
        }
      } catch {
        throw Terminal.failure("override list", "\(error)")
      }
    }
  }

  struct Clear: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Clear an override before its expiry.")

    @OptionGroup var api: APIOptions

    @Argument(help: "The override's id.")
    var id: String

    func run() async throws {
      do {
        let client = try api.client()
        let encoded =
          id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? id
        let cleared = try client.expect(
          try await client.send("DELETE", "/api/v1/overrides/\(encoded)"), [200])
        Terminal.error("Cleared \(cleared["summary"] as? String ?? id).")
      } catch {
        throw Terminal.failure("override clear", "\(error)")
      }
    }
  }
}

/// Durations on the command line: seconds, or a number with ms, s, m or h.
enum DurationText {
  static func seconds(_ text: String) -> Double? {
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
    for (suffix, factor) in units where text.hasSuffix(suffix) {
      guard let value = Double(text.dropLast(suffix.count)), value >= 0 else { return nil }
      return value * factor
    }
    guard let value = Double(text), value >= 0 else { return nil }
    return value
  }
}
