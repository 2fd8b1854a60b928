import Configuration
import FailoverCore
import Foundation

/// What `switchboard demo` changes in the shipped demo configuration (`examples/demo.yaml`) before running it
/// through the same composition root as `serve`: the probes point where the sample regions really listen, the
/// store lives in the demo's data folder, and the operator token made for this run is admitted.
public enum DemoSetup {
  /// A sample region the demo starts: the region it stands for, and where the configuration's probes expect it.
  public struct SampleRegionAddress: Sendable, Hashable {
    public var region: RegionID
    public var host: String
    public var port: Int
    public init(region: RegionID, host: String, port: Int) {
      self.region = region
      self.host = host
      self.port = port
    }
  }

  /// One address per region that an HTTP probe on a loopback host names, in the order of the first service's
  /// regions (the primary first): what the demo must start for the probes to find.
  public static func sampleRegions(in config: SwitchboardConfig) -> [SampleRegionAddress] {
    var found: [SampleRegionAddress] = []
    for service in config.services {
      for placement in service.regions where !found.contains(where: { $0.region == placement.region }) {
        for case .httpProbe(let probe) in placement.signals {
          guard let url = URLComponents(string: probe.url), let host = url.host, Self.isLoopback(host) else {
            continue
          }
          found.append(
            SampleRegionAddress(
              region: placement.region, host: host, port: url.port ?? (url.scheme == "https" ? 443 : 80)))
          break
        }
      }
    }
    return found
  }

  /// The configuration with every probe of a started sample region moved to the port it really listens on,
  /// the store at `dataDirectory/switchboard.sqlite`, and `token` admitted.
  public static func assemble(
    _ config: SwitchboardConfig, dataDirectory: String, movedTo ports: [SampleRegionAddress: Int],
    token: AuthToken
  ) -> SwitchboardConfig {
    var result = config
    result.storagePath = (dataDirectory as NSString).appendingPathComponent("switchboard.sqlite")
    result.tokens.removeAll { $0.name == token.name }
    result.tokens.append(token)
    func moved(_ signal: SignalSpec) -> SignalSpec {
      guard case .httpProbe(var probe) = signal, var url = URLComponents(string: probe.url),
        let host = url.host
      else { return signal }
      let port = url.port ?? (url.scheme == "https" ? 443 : 80)
      guard let address = ports.keys.first(where: { $0.host == host && $0.port == port }),
        let new = ports[address]
      else { return signal }
      url.port = new
      probe.url = url.string ?? probe.url
      return .httpProbe(probe)
    }
    for index in result.services.indices {
      for placement in result.services[index].regions.indices {
        result.services[index].regions[placement].signals =
          result.services[index].regions[placement].signals.map(moved)
      }
    }
    for index in result.regions.indices {
      result.regions[index].signals = result.regions[index].signals.map(moved)
    }
    return result
  }

  static func isLoopback(_ host: String) -> Bool {
    host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
  }
}
