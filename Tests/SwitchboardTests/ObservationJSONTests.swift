import FailoverCore
import Foundation
import Store
import Testing

/// The health history's hand-written observation JSON reads back exactly as `JSONEncoder`'s did.
@Suite("Observation JSON in the health history")
struct ObservationJSONTests {
  static let observations = [
    Observation(
      signal: SignalKey(service: "api.example.com", region: "us-east-1", name: "probe"), status: .healthy,
      latency: 0.001_234_567_891, reason: "answered HTTP 200 in 1 ms",
      at: Date(timeIntervalSince1970: 1_800_000_000.123_456)),
    Observation(
      signal: SignalKey(service: nil, region: "us-west-2", name: "alarm \"x\""), status: .unknown,
      reason:
        "quotes \" backslash \\ slash / newline \n tab \t control \u{01} ünïcode 🚀",
      at: Date(timeIntervalSinceReferenceDate: 0),
      keepsLastVerdict: true),
    Observation(
      signal: SignalKey(service: "s", region: "r", name: ""), status: .degraded, latency: 3, reason: "",
      at: Date(timeIntervalSince1970: 1e9)),
  ]

  @Test(
    "Given observations with every kind of field, when written by hand, then JSONDecoder reads each back equal to JSONEncoder's"
  )
  func roundTrip() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    for observation in Self.observations {
      let text = try ObservationJSON.encode(observation)
      let decoded = try JSONDecoder().decode(Observation.self, from: Data(text.utf8))
      #expect(decoded == observation, "\(text)")
      let viaEncoder = try JSONDecoder().decode(Observation.self, from: encoder.encode(observation))
      #expect(decoded == viaEncoder)
      let keys = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]).keys
      let encoderKeys = try #require(
        try JSONSerialization.jsonObject(with: encoder.encode(observation)) as? [String: Any]
      ).keys
      #expect(Set(keys) == Set(encoderKeys))
    }
  }
}
