import ArgumentParser
import Foundation
import Yams

/// The keys `serve` needs from the configuration file.
struct ServeSettings {
  var listen: [String]
  var publicDir: String
  /// The `tls:` section: `listen`, `cert`, `key` (all three or none).
  var tlsListen: String?
  var tlsCert: String?
  var tlsKey: String?

  static func load(path: String) throws -> ServeSettings {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw ValidationError("Cannot read the configuration file '\(path)'.")
    }
    let root = try Yams.load(yaml: text) as? [String: Any] ?? [:]
    let listen: [String]
    if let one = root["listen"] as? String {
      listen = [one]
    } else if let many = root["listen"] as? [String] {
      listen = many
    } else {
      listen = ["127.0.0.1:8080"]
    }
    let tls = root["tls"] as? [String: Any]
    return ServeSettings(
      listen: listen, publicDir: root["public_dir"] as? String ?? "Public",
      tlsListen: tls?["listen"] as? String,
      tlsCert: tls?["cert"] as? String, tlsKey: tls?["key"] as? String)
  }
}
