import FailoverCore
import Foundation

/// An observation's health-history JSON written by hand (sorted keys, as `StoreCoding.json` writes them):
/// `JSONEncoder` per row cost 4 % of `serve`'s CPU at 10,000 targets. `JSONDecoder` reads it back to the same
/// observation; a value JSON cannot hold (a non-finite number) goes through `StoreCoding.json`, which refuses it.
package enum ObservationJSON {
  /// The JSON of `observation`.
  package static func encode(_ observation: Observation) throws -> String {
    guard observation.at.timeIntervalSinceReferenceDate.isFinite, observation.latency?.isFinite ?? true else {
      return try StoreCoding.json(observation)
    }
    var out: [UInt8] = []
    out.reserveCapacity(160 + observation.reason.utf8.count)
    out.append(contentsOf: #"{"at":"#.utf8)
    out.append(contentsOf: "\(observation.at.timeIntervalSinceReferenceDate)".utf8)
    out.append(contentsOf: #","keepsLastVerdict":"#.utf8)
    out.append(contentsOf: (observation.keepsLastVerdict ? "true" : "false").utf8)
    if let latency = observation.latency {
      out.append(contentsOf: #","latency":"#.utf8)
      out.append(contentsOf: "\(latency)".utf8)
    }
    out.append(contentsOf: #","reason":"#.utf8)
    string(observation.reason, into: &out)
    out.append(contentsOf: #","signal":{"name":"#.utf8)
    string(observation.signal.name, into: &out)
    out.append(contentsOf: #","region":"#.utf8)
    string(observation.signal.region.rawValue, into: &out)
    if let service = observation.signal.service {
      out.append(contentsOf: #","service":"#.utf8)
      string(service.rawValue, into: &out)
    }
    out.append(contentsOf: #"},"status":"#.utf8)
    string(observation.status.rawValue, into: &out)
    out.append(UInt8(ascii: "}"))
    return String(decoding: out, as: UTF8.self)
  }

  private static func string(_ text: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
      case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
      case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
      case UInt8(ascii: "\r"): out.append(contentsOf: #"\r"#.utf8)
      case UInt8(ascii: "\t"): out.append(contentsOf: #"\t"#.utf8)
      case 0..<0x20:
        let hex = Array("0123456789abcdef".utf8)
        out.append(contentsOf: #"\u00"#.utf8)
        out.append(hex[Int(byte >> 4)])
        out.append(hex[Int(byte & 0x0F)])
      default: out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}
