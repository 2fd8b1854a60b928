import FailoverCore
import Foundation
import Testing

@testable import Switchboard

@Suite("The engine's recent samples per signal (replayed after a reload)")
struct RecentSamplesTests {
  static let signal = SignalKey(service: "api.example.com", region: "us-east-1", name: "http")

  static func observation(_ index: Int) -> Observation {
    Observation(
      signal: signal, status: index % 3 == 0 ? .unhealthy : .healthy,
      latency: index % 2 == 0 ? nil : Double(index),
      reason: "sample \(index)", at: Date(timeIntervalSince1970: Double(index)), keepsLastVerdict: index == 7)
  }

  @Test("Given fewer samples than its capacity, then it gives them back whole, oldest first")
  func belowCapacity() {
    var recent = RecentSamples(capacity: 4)
    for index in 0..<3 { recent.append(Self.observation(index)) }
    #expect(recent.observations(of: Self.signal) == (0..<3).map(Self.observation))
  }

  @Test("Given more samples than its capacity, then it keeps the last ones, oldest first, at every wrap")
  func wrapsAround() {
    var recent = RecentSamples(capacity: 4)
    for index in 0..<11 {
      recent.append(Self.observation(index))
      let kept = max(0, index - 3)...index
      #expect(recent.observations(of: Self.signal) == kept.map(Self.observation))
    }
  }
}
