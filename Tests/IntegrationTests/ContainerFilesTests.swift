import Foundation
import Testing
import Yams

/// No container engine runs here, so `docker/` is checked against the real program instead: every command and
/// flag the files run exists in the binary's `--help`, every path they copy exists, the ports agree, and the
/// runtime stage installs what `ldd` says the built binary loads.
@Suite("The container files")
struct ContainerFilesTests {
  static let root = SwitchboardBinary.repositoryRoot

  static func dockerfile() throws -> [String] {
    // Continuation lines joined, comments dropped: one instruction per element.
    let text = try String(contentsOfFile: root + "/docker/Dockerfile", encoding: .utf8)
    var instructions: [String] = []
    var current = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.hasPrefix("#") || (trimmed.isEmpty && current.isEmpty) { continue }
      if trimmed.hasSuffix("\\") {
        current += trimmed.dropLast() + " "
      } else {
        instructions.append(current + trimmed)
        current = ""
      }
    }
    return instructions.filter { !$0.isEmpty }
  }

  /// The JSON-array form of an instruction (`CMD ["serve", …]`).
  static func execForm(_ keyword: String, in instructions: [String]) throws -> [String] {
    let line = try #require(instructions.last { $0.hasPrefix(keyword + " ") })
    let json = Data(line.dropFirst(keyword.count + 1).utf8)
    return try #require(try JSONSerialization.jsonObject(with: json) as? [String])
  }

  static func help(_ arguments: [String]) async throws -> String {
    let result = try await SwitchboardBinary.run(
      arguments + ["--help"], environment: try SwitchboardBinary.isolatedEnvironment([:]), timeout: 30)
    #expect(result.status == 0, "\(result)")
    return result.stdout
  }

  @Test(
    "Given the Dockerfile, when its entry point and command are read, then the binary knows every subcommand and flag"
  )
  func commandExists() async throws {
    let instructions = try Self.dockerfile()
    #expect(try Self.execForm("ENTRYPOINT", in: instructions) == ["switchboard"])
    let command = try Self.execForm("CMD", in: instructions)
    let subcommand = try #require(command.first)
    #expect(
      try await Self.help([]).contains("  \(subcommand) "), "switchboard has no subcommand \(subcommand)")
    let help = try await Self.help([subcommand])
    for flag in command where flag.hasPrefix("--") {
      #expect(help.contains(flag + " "), "`switchboard \(subcommand)` has no flag \(flag)")
    }
    // The port the command listens on is the one exposed and the one the health check asks.
    let listen = try #require(command.firstIndex(of: "--listen").map { command[$0 + 1] })
    let port = try #require(listen.split(separator: ":").last.map(String.init))
    #expect(instructions.contains("EXPOSE \(port)"))
    let healthcheck = try #require(instructions.first { $0.hasPrefix("HEALTHCHECK ") })
    #expect(healthcheck.contains("http://127.0.0.1:\(port)/healthz"))
    let contract = try String(contentsOfFile: Self.root + "/openapi/openapi.yaml", encoding: .utf8)
    #expect(contract.contains("\n  /healthz:"))
  }

  @Test(
    "Given the Dockerfile, when its copies are read, then every file it takes from the repository exists and its configuration is valid"
  )
  func copiedPathsExist() async throws {
    let instructions = try Self.dockerfile()
    var sources: [String] = []
    for line in instructions where line.hasPrefix("COPY ") {
      let words = line.split(separator: " ").map(String.init)
      if words.contains("--from=build") {
        // The build stage works on a copy of the repository in /src.
        if let path = words.first(where: { $0.hasPrefix("/src/") }) {
          sources.append(String(path.dropFirst(5)))
        }
      } else if words.count == 3, words[1] != "." {
        sources.append(words[1])
      }
    }
    #expect(sources.contains("Public"))
    for source in sources {
      #expect(
        FileManager.default.fileExists(atPath: Self.root + "/" + source), "docker/Dockerfile copies \(source)"
      )
    }
    let config = try #require(
      instructions.first { $0.hasPrefix("COPY ") && $0.hasSuffix(" /etc/switchboard/config.yaml") })
    let path = Self.root + "/" + config.split(separator: " ")[1]
    let result = try await SwitchboardBinary.run(
      ["validate", path], environment: try SwitchboardBinary.isolatedEnvironment([:]))
    #expect(result.status == 0, "\(result)")
  }

  @Test("Given the built binary, when ldd lists what it loads, then the runtime stage provides each library")
  func runtimeLibrariesMatchLdd() async throws {
    let instructions = try Self.dockerfile()
    // The Swift runtime is copied from the toolchain image.
    #expect(instructions.contains { $0.contains("cp -L /usr/lib/swift/linux/*.so /out/lib/swift/") })
    #expect(instructions.contains("COPY --from=build /out/lib/swift/ /usr/lib/swift/linux/"))
    // The Debian packages the runtime stage installs (the last FROM's apt-get install).
    let runtime = try #require(instructions.lastIndex { $0.hasPrefix("FROM ") })
    let install = try #require(instructions[runtime...].first { $0.contains("apt-get install") })
    let installed = Set(
      install.split(separator: " ").drop { $0 != "--no-install-recommends" }.dropFirst()
        .prefix { $0 != "&&" }.map(String.init))
    #expect(installed.contains("libssl3"))

    let ldd = try ExternalTool("ldd", package: "libc-bin")
    let (status, out, err) = try await ldd.run([try SwitchboardBinary.path()])
    #expect(status == 0, "\(err)")
    let packages = try DebianPackages()
    let provided = try await packages.closure(of: installed.union(try await packages.baseSystem()))
    var swiftLibraries = 0
    for line in out.split(separator: "\n") {
      let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard parts.count >= 3, parts[1] == "=>" else { continue }
      let (name, path) = (String(parts[0]), String(parts[2]))
      if path.contains("/lib/swift/linux/") {
        swiftLibraries += 1
        continue
      }
      let owner = try await packages.owner(ofLibrary: name)
      let isProvided = provided.contains(owner)
      #expect(
        isProvided,
        "\(name) (\(path)) comes from \(owner), which the runtime stage neither installs nor gets with its packages"
      )
    }
    #expect(swiftLibraries > 5)
  }
}

extension ContainerFilesTests {
  /// docker/compose.yaml as YAML.
  static func compose() throws -> [String: Any] {
    let text = try String(contentsOfFile: root + "/docker/compose.yaml", encoding: .utf8)
    return try #require(try Yams.load(yaml: text) as? [String: Any])
  }

  @Test(
    "Given docker/compose.yaml, when each container's command is read, then the binary knows every subcommand and flag"
  )
  func composeCommandsExist() async throws {
    let services = try #require(try Self.compose()["services"] as? [String: [String: Any]])
    // The demo (no profile) is exactly these three; the `cluster` profile adds etcd, moto and three nodes.
    #expect(
      Set(services.filter { $0.value["profiles"] == nil }.keys) == ["switchboard", "us-east-1", "us-west-2"])
    #expect(
      Set(services.filter { ($0.value["profiles"] as? [String]) == ["cluster"] }.keys) == [
        "etcd-1", "etcd-2", "etcd-3", "moto", "bootstrap", "node-1", "node-2", "node-3",
      ])
    let top = try await Self.help([])
    // Every container of our image runs a command the binary knows (etcd and moto run their own images).
    for (name, service) in services where service["image"] as? String == "switchboard:local" {
      let command = try #require(service["command"] as? [String], "\(name) has no command")
      let subcommand = try #require(command.first)
      #expect(top.contains("  \(subcommand) "), "\(name): switchboard has no subcommand \(subcommand)")
      let help = try await Self.help([subcommand])
      for flag in command where flag.hasPrefix("--") {
        #expect(help.contains(flag + " "), "\(name): `switchboard \(subcommand)` has no flag \(flag)")
      }
    }
  }

  @Test(
    "Given docker/compose.yaml, when its files, variables and ports are read, then they exist and agree with the configuration it mounts"
  )
  func composeAgreesWithItsConfiguration() async throws {
    let services = try #require(try Self.compose()["services"] as? [String: [String: Any]])
    let switchboard = try #require(services["switchboard"])
    // The mounted configuration exists (relative to docker/) and is valid.
    let volumes = try #require(switchboard["volumes"] as? [String])
    let mount = try #require(volumes.first { $0.hasPrefix("./") }).split(separator: ":")
    let config = Self.root + "/docker/" + mount[0].dropFirst(2)
    let command = try #require(switchboard["command"] as? [String])
    #expect(command.contains(String(mount[1])), "serve reads \(mount[1])")
    let result = try await SwitchboardBinary.run(
      ["validate", config], environment: try SwitchboardBinary.isolatedEnvironment([:]))
    #expect(result.status == 0, "\(result)")
    // Every variable it sets is one the configuration reference documents.
    let reference = try String(contentsOfFile: Self.root + "/docs/configuration.md", encoding: .utf8)
    for variable in (switchboard["environment"] as? [String: Any] ?? [:]).keys {
      #expect(reference.contains("`\(variable)`"), "\(variable) is not in docs/configuration.md")
    }
    // The ports it publishes are those serve and the DNS server listen on, and those the probes ask.
    let yaml = try String(contentsOfFile: config, encoding: .utf8)
    let document = try #require(try Yams.load(yaml: yaml) as? [String: Any])
    let dnsListen = try #require((document["dns"] as? [String: Any])?["listen"] as? String)
    let published = try #require(switchboard["ports"] as? [String])
    let apiPort = try #require(
      command.firstIndex(of: "--listen").map { command[$0 + 1] }?.split(separator: ":").last)
    let dnsPort = try #require(dnsListen.split(separator: ":").last)
    #expect(published.contains("127.0.0.1:\(apiPort):\(apiPort)"))
    #expect(published.contains("127.0.0.1:\(dnsPort):\(dnsPort)/udp"))
    #expect(published.contains("127.0.0.1:\(dnsPort):\(dnsPort)/tcp"))
    for region in ["us-east-1", "us-west-2"] {
      let sample = try #require(services[region]?["command"] as? [String])
      let listen = try #require(sample.firstIndex(of: "--listen").map { sample[$0 + 1] })
      let port = try #require(listen.split(separator: ":").last)
      #expect(
        yaml.contains("http://\(region):\(port)/health"), "no probe of \(region) on :\(port) in \(config)")
      #expect((services[region]?["ports"] as? [String])?.contains("127.0.0.1:\(port):\(port)") == true)
    }
  }
}

/// Facts from this machine's dpkg database: who owns a library, what a package depends on.
struct DebianPackages {
  let query: ExternalTool
  let search: ExternalTool

  init() throws {
    query = try ExternalTool("dpkg-query", package: "dpkg")
    search = try ExternalTool("dpkg", package: "dpkg")
  }

  /// The package (without architecture) that ships a file whose name is `library`.
  func owner(ofLibrary library: String) async throws -> String {
    let (_, out, _) = try await search.run(["-S", library])
    for line in out.split(separator: "\n") {
      let parts = line.split(separator: ":", maxSplits: 1)
      guard parts.count == 2, parts[1].hasSuffix("/" + library) else { continue }
      return String(parts[0].split(separator: ",")[0].split(separator: ":")[0])
    }
    throw HarnessError("no Debian package ships \(library)")
  }

  /// The packages every Debian image has (priority `required`).
  func baseSystem() async throws -> Set<String> {
    let (_, out, _) = try await query.run(["-W", "-f", "${Package} ${Priority}\n"])
    return Set(
      out.split(separator: "\n").compactMap { line in
        let parts = line.split(separator: " ")
        return parts.count == 2 && parts[1] == "required" ? String(parts[0]) : nil
      })
  }

  /// `packages` and everything they depend on, as far as this machine has it installed.
  func closure(of packages: Set<String>) async throws -> Set<String> {
    var seen = packages
    var queue = Array(packages)
    while let package = queue.popLast() {
      let (status, out, _) = try await query.run(["-W", "-f", "${Depends}, ${Pre-Depends}", package])
      guard status == 0 else { continue }
      for alternative in out.split(whereSeparator: { $0 == "," || $0 == "|" }) {
        let name = alternative.trimmingCharacters(in: .whitespaces).split(separator: " ").first
          .map { String($0.split(separator: ":")[0]) }
        if let name, !name.isEmpty, seen.insert(name).inserted { queue.append(name) }
      }
    }
    return seen
  }
}
