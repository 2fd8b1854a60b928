import Foundation
import Testing
import Yams

extension ContainerFilesTests {
  /// The value after `flag` in a command.
  static func option(_ flag: String, in command: [String]) -> String? {
    command.firstIndex(of: flag).flatMap { command.indices.contains($0 + 1) ? command[$0 + 1] : nil }
  }

  @Test(
    "Given compose.yaml's cluster profile, when its nodes, etcd members, moto and regions are read, then they agree with the one configuration every node mounts"
  )
  func clusterProfileAgreesWithItsConfiguration() async throws {
    let services = try #require(try Self.compose()["services"] as? [String: [String: Any]])
    let nodes = ["node-1", "node-2", "node-3"].map { services[$0] ?? [:] }
    let commands = try nodes.map { try #require($0["command"] as? [String]) }
    // One configuration for every node, mounted from docker/, valid, and read by the bootstrap too.
    let mounts = Set(nodes.compactMap { ($0["volumes"] as? [String])?.first { $0.hasPrefix("./") } })
    #expect(mounts == ["./cluster.yaml:/etc/switchboard/cluster.yaml:ro"])
    for command in commands + [try #require(services["bootstrap"]?["command"] as? [String])] {
      #expect(Self.option("--config", in: command) == "/etc/switchboard/cluster.yaml", "\(command)")
    }
    let config = Self.root + "/docker/cluster.yaml"
    let result = try await SwitchboardBinary.run(
      ["validate", config], environment: try SwitchboardBinary.isolatedEnvironment([:]))
    #expect(result.status == 0, "\(result)")
    let yaml = try String(contentsOfFile: config, encoding: .utf8)
    let document = try #require(try Yams.load(yaml: yaml) as? [String: Any])

    // Each node: its own id, an advertised URL other containers reach (its service name, the port it listens on),
    // published on the host as 8081, 8082, 8083; every variable documented.
    let reference = try String(contentsOfFile: Self.root + "/docs/configuration.md", encoding: .utf8)
    for (index, command) in commands.enumerated() {
      let name = "node-\(index + 1)"
      #expect(Self.option("--node-id", in: command) == name)
      let port = try #require(Self.option("--listen", in: command)?.split(separator: ":").last)
      #expect(Self.option("--advertise-url", in: command) == "http://\(name):\(port)")
      #expect((nodes[index]["ports"] as? [String]) == ["127.0.0.1:\(8081 + index):\(port)"])
      for variable in (nodes[index]["environment"] as? [String: Any] ?? [:]).keys {
        #expect(reference.contains("`\(variable)`"), "\(variable) is not in docs/configuration.md")
      }
    }

    // The etcd endpoints are the three members' advertised client URLs, and the members form one cluster.
    let storage = try #require(document["storage"] as? [String: Any])
    #expect(storage["backend"] as? String == "etcd")
    let endpoints = try #require(storage["endpoints"] as? [String])
    var peers: [String] = []
    for member in ["etcd-1", "etcd-2", "etcd-3"] {
      let command = try #require(services[member]?["command"] as? [String])
      #expect(command.first == "etcd")
      #expect(Self.option("--name", in: command) == member)
      let client = try #require(Self.option("--advertise-client-urls", in: command))
      #expect(endpoints.contains(client), "\(client) is not among storage.endpoints \(endpoints)")
      peers.append("\(member)=\(try #require(Self.option("--initial-advertise-peer-urls", in: command)))")
      #expect(Self.option("--initial-cluster", in: command) != nil)
    }
    for member in ["etcd-1", "etcd-2", "etcd-3"] {
      let command = try #require(services[member]?["command"] as? [String])
      #expect(Self.option("--initial-cluster", in: command) == peers.joined(separator: ","))
    }
    #expect(endpoints.count == 3)

    // AWS is the moto container; the sample regions are the demo's, probed on their ports.
    let aws = try #require(document["aws"] as? [String: Any])
    let motoPort = try #require((services["moto"]?["ports"] as? [String])?.first?.split(separator: ":").last)
    #expect(aws["endpoint_url"] as? String == "http://moto:\(motoPort)")
    for region in ["us-east-1", "us-west-2"] {
      let sample = try #require(services[region]?["command"] as? [String])
      let port = try #require(Self.option("--listen", in: sample)?.split(separator: ":").last)
      #expect(yaml.contains("http://\(region):\(port)/health"), "no probe of \(region) on :\(port)")
    }
  }
}
