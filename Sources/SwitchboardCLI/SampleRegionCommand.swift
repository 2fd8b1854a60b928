import ArgumentParser
import Foundation
import HTTPServer
import SampleRegion
import Switchboard

import struct HTTPServer.ListenAddress

/// `switchboard sample-region --region NAME --listen HOST:PORT`: a health endpoint that can be told to fail.
struct SampleRegionCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sample-region",
    abstract: "Serve a sample region's /health endpoint that can be made to fail (POST /simulate-failure).")

  @Option(help: "The region name reported in answers, e.g. us-east-1.")
  var region: String

  @Option(help: "Listen address HOST:PORT (port 0 picks a free one).")
  var listen: String

  @Option(name: .customLong("latency-ms"), help: "Milliseconds added before every /health answer.")
  var latencyMilliseconds: Int = 0

  @Option(help: "The version reported by /health.")
  var version: String = "1.0.0"

  func validate() throws {
    guard (try? ListenAddress(parsing: listen)) != nil else {
      throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:9001; got '\(listen)'.")
    }
    guard latencyMilliseconds >= 0 else { throw ValidationError("--latency-ms cannot be negative.") }
  }

  func run() async throws {
    let sink = LoggingSetup.bootstrap()
    let address = try ListenAddress(parsing: listen)
    let sample = SampleRegion(
      SampleRegionState(region: region, version: version, latencyMilliseconds: latencyMilliseconds))
    let server = try sample.start(host: address.host, port: address.port)
    let bound = server.boundAddresses.first.map(\.description) ?? listen
    FileHandle.standardOutput.write(Data("Sample region \(region) listening on \(bound)\n".utf8))
    let signals = SignalWatcher()
    for signalNumber in [SIGTERM, SIGINT] { signals.on(signalNumber) { Task { await server.shutdown() } } }
    await server.waitUntilStopped()
    sink.flush()
  }
}
