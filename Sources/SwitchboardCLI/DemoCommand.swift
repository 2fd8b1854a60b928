import ArgumentParser
import Configuration
import FailoverCore
import Foundation
import HTTPServer
import Logging
import SampleRegion
import SwitchboardApplication

/// `switchboard demo [--reset]`: the README's main job on one machine, with nothing else installed. Two sample
/// regions, the built-in DNS, the SQLite store in a `demo` folder, the dashboard and the API, in one process and
/// on the real product path: `demo` only assembles `examples/demo.yaml` and starts the sample regions.
struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Run the two-region demo: sample regions, built-in DNS, dashboard and API on loopback.")

  @Option(help: "The demo configuration (YAML).")
  var config: String = "examples/demo.yaml"

  @Option(help: "The folder that holds the demo's store.")
  var data: String = "demo"

  @Flag(help: "Start from an empty store (deletes the data folder's store first).")
  var reset = false

  @Option(
    help: """
      Loopback ports API,DNS,REGION1,REGION2 (0 picks a free one); default: the configuration's \
      (8080,8053,9001,9002).
      """)
  var ports: String?

  func validate() throws {
    if let ports, DemoPorts(parsing: ports) == nil {
      throw ValidationError(
        "--ports must be four port numbers API,DNS,REGION1,REGION2 (0 picks one), e.g. 0,0,0,0.")
    }
  }

  func run() async throws {
    let sink = LoggingSetup.bootstrap(level: .warning)
    defer { sink.flush() }
    let loaded: SwitchboardConfig
    do {
      loaded = try SwitchboardConfig.load(path: config)
    } catch {
      Terminal.error(error.description)
      throw Terminal.failure(
        "demo",
        "\(config) is not a valid configuration; run the demo from the repository's folder, or pass --config."
      )
    }
    let requested = ports.flatMap(DemoPorts.init(parsing:))
    if reset { try Self.removeStore(in: data) }

    // The sample regions first: the probes must find them from the first tick.
    let expected = DemoSetup.sampleRegions(in: loaded)
    guard expected.count >= 2 else {
      throw Terminal.failure(
        "demo", "\(config) probes fewer than two loopback sample regions; nothing to fail over.")
    }
    var regions: [(address: DemoSetup.SampleRegionAddress, sample: SampleRegion, server: HTTPServer)] = []
    var moved: [DemoSetup.SampleRegionAddress: Int] = [:]
    for (index, address) in expected.prefix(2).enumerated() {
      let sample = SampleRegion(SampleRegionState(region: address.region.rawValue, version: "demo"))
      let port = requested?.regions[index] ?? address.port
      let server: HTTPServer
      do { server = try sample.start(host: address.host, port: port) } catch {
        throw Terminal.failure("demo", Self.portAdvice("sample region \(address.region)", port, error))
      }
      let bound = server.boundAddresses.first?.port ?? port
      moved[address] = bound
      regions.append((address, sample, server))
    }

    let token = TokenFactory.make(name: "demo-operator", role: .operator)
    var assembled = DemoSetup.assemble(loaded, dataDirectory: data, movedTo: moved, token: token.entry)
    let dnsListen = assembled.dns.listen.first ?? ListenAddress(host: "127.0.0.1", port: 8053)
    assembled.dns.listen = [ListenAddress(host: dnsListen.host, port: requested?.dns ?? dnsListen.port)]
    let listen = ListenAddress(host: assembled.listen.host, port: requested?.api ?? assembled.listen.port)
    let application: SwitchboardApplication
    do {
      application = try SwitchboardApplication(
        config: assembled, options: ApplicationOptions(configurationPath: nil, listen: [listen]))
      try await application.start()
    } catch {
      for region in regions { await region.server.shutdown() }
      let ports = [listen.port, assembled.dns.listen.first?.port ?? 0].filter { $0 != 0 }
      let advice =
        ports.isEmpty
        ? ""
        : " If another program uses port \(ports.map(String.init).joined(separator: " or ")), stop it, or pass "
          + "--ports 0,0,0,0 to let the demo pick free ports."
      throw Terminal.failure("demo", "Switchboard could not start: " + Self.sentence(error) + advice)
    }
    guard let dns = application.dnsServer?.boundAddresses.first else {
      await application.stop(grace: .zero)
      throw Terminal.failure("demo", "\(config) has no service on the built-in DNS (`provider: builtin`).")
    }
    let api = application.server.boundAddresses.first.map { "http://\($0)" } ?? "http://\(listen)"
    FileHandle.standardOutput.write(
      Data(
        (DemoInstructions(
          api: api, token: token.token, executable: Self.executablePath(),
          regions: regions.map {
            ($0.address.region.rawValue, "\($0.address.host):\(moved[$0.address] ?? 0)")
          },
          service: assembled.services[0], dns: (dns.host, dns.port)
        ).text + "\n").utf8))

    let servers = regions.map(\.server)
    let signals = SignalWatcher()
    for signalNumber in [SIGTERM, SIGINT] {
      signals.on(signalNumber) {
        Task {
          await application.stop(grace: .milliseconds(500))
          for server in servers { await server.shutdown(gracePeriod: .milliseconds(200)) }
        }
      }
    }
    await application.waitUntilStopped()
    for server in servers { await server.waitUntilStopped() }
    print("Demo stopped; its store stays in \(data)/ (--reset starts from an empty one).")
  }

  /// Deletes the demo's store files (and nothing else in the folder).
  static func removeStore(in folder: String) throws {
    for suffix in ["", "-wal", "-shm"] {
      let path = (folder as NSString).appendingPathComponent("switchboard.sqlite" + suffix)
      if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
    }
  }

  static func portAdvice(_ what: String, _ port: Int, _ error: any Error) -> String {
    "\(what) cannot listen on port \(port): " + sentence(error)
      + (port == 0
        ? ""
        : " Another demo or program may be using it; stop it, or pass --ports 0,0,0,0 to let the "
          + "demo pick free ports.")
  }

  /// An error's text as one sentence (with its full stop).
  static func sentence(_ error: any Error) -> String {
    let text = "\(error)"
    return text.hasSuffix(".") ? text : text + "."
  }

  /// How to run this same binary again from a shell (for the printed `override` command).
  static func executablePath() -> String {
    let argument0 = CommandLine.arguments.first ?? "switchboard"
    guard argument0.contains("/") else { return argument0 }
    let url = URL(fileURLWithPath: argument0).standardizedFileURL
    let cwd = FileManager.default.currentDirectoryPath
    return url.path.hasPrefix(cwd + "/") ? "." + url.path.dropFirst(cwd.count) : url.path
  }
}

/// `--ports API,DNS,REGION1,REGION2`.
struct DemoPorts {
  var api: Int
  var dns: Int
  var regions: [Int]

  init?(parsing text: String) {
    let numbers = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard numbers.count == 4, numbers.allSatisfy({ $0 != nil && (0...65535).contains($0!) }) else {
      return nil
    }
    api = numbers[0]!
    dns = numbers[1]!
    regions = [numbers[2]!, numbers[3]!]
  }
}
