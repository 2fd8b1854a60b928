import FailoverCore
import Foundation
import Probing
import Switchboard
import Testing

/// The sample region over real HTTP.
@Suite("Sample region")
struct SampleRegionTests {
  @Test("Given a healthy sample region, /health answers 200 with the seed's JSON document")
  func healthy() async throws {
    let (_, server, base) = try Loopback.sampleRegion("us-east-1")
    defer { Task { await server.shutdown() } }
    let (status, body) = try await Loopback.request("GET", "\(base)/health")
    #expect(status == 200)
    let document = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: String]
    #expect(document?["status"] == "healthy")
    #expect(document?["region"] == "us-east-1")
    #expect(document?["version"] == "1.0.0")
    let timestamp = try #require(document?["timestamp"])
    #expect(try Date(timestamp, strategy: .iso8601) <= Date().addingTimeInterval(1))
  }

  @Test("When a failure is simulated, /health answers 503 unhealthy until it recovers")
  func failureAndRecovery() async throws {
    let (_, server, base) = try Loopback.sampleRegion("us-west-2")
    defer { Task { await server.shutdown() } }
    let flip = try await Loopback.request("POST", "\(base)/simulate-failure")
    #expect(flip.status == 200 && flip.body.contains(#""status":"unhealthy""#))
    let failing = try await Loopback.request("GET", "\(base)/health")
    #expect(failing.status == 503 && failing.body.contains(#""status":"unhealthy""#))
    let key = SignalKey(service: "api", region: "us-west-2", name: "probe")
    let probed = await HTTPProber().probe(HTTPProbeSpec(url: "\(base)/health", responseTimeout: 10), key: key)
    #expect(probed.status == .unhealthy)
    let back = try await Loopback.request("POST", "\(base)/recover")
    #expect(back.status == 200 && back.body.contains(#""status":"healthy""#))
    #expect(try await Loopback.request("GET", "\(base)/health").status == 200)
  }

  @Test("When latency is added, /health answers after it; a bad value is refused")
  func latency() async throws {
    let (_, server, base) = try Loopback.sampleRegion("us-east-1")
    defer { Task { await server.shutdown() } }
    #expect(try await Loopback.request("POST", "\(base)/latency?ms=300").status == 200)
    let started = Date()
    #expect(try await Loopback.request("GET", "\(base)/health").status == 200)
    #expect(Date().timeIntervalSince(started) >= 0.3)
    #expect(try await Loopback.request("POST", "\(base)/latency?ms=abc").status == 400)
  }

  @Test("GET / describes the service")
  func describes() async throws {
    let (_, server, base) = try Loopback.sampleRegion("eu-west-1")
    defer { Task { await server.shutdown() } }
    let (status, body) = try await Loopback.request("GET", "\(base)/")
    #expect(status == 200)
    #expect(body.contains("eu-west-1") && body.contains("/simulate-failure"))
  }
}
