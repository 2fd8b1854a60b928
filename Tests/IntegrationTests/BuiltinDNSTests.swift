import Foundation
import HTTPServer
import SampleRegion
import Testing

/// `switchboard serve` answering DNS itself (`provider: builtin`), asked by dig and dnspython on loopback; a
/// sample region's failure moves the answer and raises the SOA serial.
@Suite("Built-in DNS: dig and dnspython against a running serve", .serialized)
struct BuiltinDNSTests {
  /// A serve whose service uses the built-in DNS server on a free port, with two sample regions.
  struct Setup {
    let regions: ServeCommandTests.Regions
    let serve: ServeProcess
    let dnsPort: Int

    init(label: String) async throws {
      regions = try ServeCommandTests.Regions()
      dnsPort = try freeLoopbackPort()
      let nameServers = (1...20).map { "    - ns-with-a-rather-long-name-\($0).example.com" }.joined(
        separator: "\n")
      var config = ServeConfig(
        primaryHealthURL: regions.healthURL(0), secondaryHealthURL: regions.healthURL(1),
        directory: try ChildProcess.temporaryDirectory(label))
      config.provider = "builtin"
      config.extraYAML =
        "dns:\n  listen: 127.0.0.1:\(dnsPort)\n  rate_limit: 0\n  name_servers:\n\(nameServers)\n"
      let environment = try SwitchboardBinary.isolatedEnvironment([
        "AWS_ACCESS_KEY_ID": "AKIDNOTUSED", "AWS_SECRET_ACCESS_KEY": "not-used",
      ])
      serve = try await ServeProcess(config: try config.write(), environment: environment)
    }

    func stop() async {
      serve.kill()
      await regions.stop()
    }
  }

  @Test(
    "Given serve with builtin DNS, when dig asks, then A, SOA, NS answer, unknown names get NXDOMAIN with the SOA, other zones REFUSED"
  )
  func digAnswers() async throws {
    let setup = try await Setup(label: "dns-dig")
    defer { Task { await setup.stop() } }
    let dig = try Dig()
    let port = setup.dnsPort
    #expect(try await dig.short("api.example.com", "A", port: port) == ["192.0.2.10"])
    #expect(try await dig.short("API.Example.COM", "A", port: port) == ["192.0.2.10"])
    let answer = try await dig.query("api.example.com", "A", port: port)
    #expect(answer.contains("flags: qr aa rd;"), "\(answer)")
    #expect(answer.contains("api.example.com.\t60\tIN\tA\t192.0.2.10"), "\(answer)")
    #expect(try await dig.serial("example.com", port: port) != nil)
    let missing = try await dig.query("nope.example.com", "A", port: port)
    #expect(missing.contains("status: NXDOMAIN"), "\(missing)")
    #expect(missing.contains("AUTHORITY: 1"), "\(missing)")
    #expect(missing.contains("IN\tSOA\tns-with-a-rather-long-name-1.example.com."), "\(missing)")
    let nodata = try await dig.query("api.example.com", "AAAA", port: port)
    #expect(nodata.contains("status: NOERROR") && nodata.contains("ANSWER: 0"), "\(nodata)")
    let other = try await dig.query("www.example.org", "A", port: port)
    #expect(other.contains("status: REFUSED"), "\(other)")
    #expect(!other.contains(" ra"), "recursion must not be offered: \(other)")
  }

  @Test(
    "Given a large answer, when dig asks over UDP without EDNS, then TC is set and dig retries over TCP for all of it"
  )
  func truncationThenTCP() async throws {
    let setup = try await Setup(label: "dns-tc")
    defer { Task { await setup.stop() } }
    let dig = try Dig()
    let edns = try await dig.query("api.example.com", "A", port: setup.dnsPort, ["+bufsize=1400"])
    #expect(edns.contains("; EDNS: version: 0, flags:; udp: 1232"), "\(edns)")
    let truncated = try await dig.query("example.com", "NS", port: setup.dnsPort, ["+noedns", "+ignore"])
    #expect(truncated.contains("flags: qr aa tc rd;"), "\(truncated)")
    let retried = try await dig.query("example.com", "NS", port: setup.dnsPort, ["+noedns"])
    #expect(retried.contains("Truncated, retrying in TCP mode"), "\(retried)")
    #expect(retried.contains("ANSWER: 20"), "\(retried)")
    let tcp = try await dig.query("example.com", "NS", port: setup.dnsPort, ["+tcp"])
    #expect(tcp.contains("ANSWER: 20"), "\(tcp)")
  }

  @Test("Given serve with builtin DNS, when dnspython asks over UDP and TCP, then it reads the same answers")
  func dnspythonAnswers() async throws {
    let setup = try await Setup(label: "dns-python")
    defer { Task { await setup.stop() } }
    let python = try ExternalTool("python3", package: "python3")
    let script = """
      import dns.message, dns.query, dns.rcode, dns.flags
      port = \(setup.dnsPort)
      q = dns.message.make_query("api.example.com", "A", use_edns=0, payload=1232)
      r = dns.query.udp(q, "127.0.0.1", port=port, timeout=2)
      print("udp", dns.rcode.to_text(r.rcode()), bool(r.flags & dns.flags.AA), [str(rr) for s in r.answer for rr in s])
      r = dns.query.tcp(dns.message.make_query("api.example.com", "A"), "127.0.0.1", port=port, timeout=2)
      print("tcp", dns.rcode.to_text(r.rcode()), [str(rr) for s in r.answer for rr in s])
      r = dns.query.udp(dns.message.make_query("nope.example.com", "A"), "127.0.0.1", port=port, timeout=2)
      print("nx", dns.rcode.to_text(r.rcode()), [s.rdtype for s in r.authority])
      r = dns.query.udp(dns.message.make_query("example.net", "A"), "127.0.0.1", port=port, timeout=2)
      print("other", dns.rcode.to_text(r.rcode()))
      """
    let result = try await python.run(["-c", script])
    #expect(result.status == 0, "\(result.err)")
    #expect(result.out.contains("udp NOERROR True ['192.0.2.10']"), "\(result.out)")
    #expect(result.out.contains("tcp NOERROR ['192.0.2.10']"), "\(result.out)")
    #expect(result.out.contains("nx NXDOMAIN [<RdataType.SOA: 6>]"), "\(result.out)")
    #expect(result.out.contains("other REFUSED"), "\(result.out)")
  }

  @Test(
    "Given serve with builtin DNS, when the primary sample region fails, then dig answers the secondary and the serial rises"
  )
  func failoverChangesTheAnswer() async throws {
    let setup = try await Setup(label: "dns-failover")
    defer { Task { await setup.stop() } }
    let dig = try Dig()
    let before = try #require(try await dig.serial("example.com", port: setup.dnsPort))
    setup.regions.primary.setFailing(true)
    var answer: [String] = []
    for _ in 0..<300 {
      answer = (try? await dig.short("api.example.com", "A", port: setup.dnsPort)) ?? []
      if answer == ["192.0.2.20"] { break }
      try await Task.sleep(nanoseconds: 100_000_000)
    }
    #expect(answer == ["192.0.2.20"], "\(setup.serve.output)")
    let after = try #require(try await dig.serial("example.com", port: setup.dnsPort))
    #expect(after > before)
  }
}
