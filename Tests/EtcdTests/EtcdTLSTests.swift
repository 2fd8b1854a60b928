import Etcd
import FailoverCore
import Foundation
import StoreConformance
import TestPeers
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The shared TLS cluster, for the exit handler (set once, under the actor).
nonisolated(unsafe) private var tlsClusterAtExit: EtcdCluster?

/// One single-member etcd on https loopback demanding client certificates (`--client-cert-auth`), shared by the
/// TLS tests of the run; killed when the test process exits.
actor SharedEtcdTLSCluster {
  static let shared = SharedEtcdTLSCluster()
  private var starting: Task<EtcdCluster, any Error>?

  /// Runs `body` with the shared cluster, starting it on first use.
  func with<T: Sendable>(_ body: @Sendable (EtcdCluster) async throws -> T) async throws -> T {
    try await body(try await cluster())
  }

  private func cluster() async throws -> EtcdCluster {
    if let starting, let cluster = try? await starting.value { return cluster }
    let task = Task { try await EtcdCluster(size: 1, tls: try EtcdTLSFiles()) }
    starting = task
    let cluster = try await task.value
    if tlsClusterAtExit == nil {
      tlsClusterAtExit = cluster
      atexit { tlsClusterAtExit?.killAtExit() }
    }
    return cluster
  }
}

@Suite("etcd over TLS with client certificates")
struct EtcdTLSTests {
  /// A client of the TLS cluster presenting the test client certificate.
  static func client(_ cluster: EtcdCluster, timeout: TimeInterval = 5) throws -> EtcdClient {
    let files = try #require(cluster.tls)
    let transport = try EtcdSocketTransport(
      caFile: files.caFile, certFile: files.clientCertFile, keyFile: files.clientKeyFile)
    return EtcdClient(endpoints: cluster.clientURLs, timeout: timeout, transport: transport)
  }

  /// The reasons of an `unavailable` failure of one read, or a recorded issue.
  static func refusal(_ client: EtcdClient) async -> [String] {
    do {
      _ = try await client.get("/tls/x")
      Issue.record("the call succeeded")
    } catch {
      if case .unavailable(let reasons) = error { return reasons }
      Issue.record("expected unavailable, got \(error)")
    }
    return []
  }

  @Test(
    "Given etcd on https demanding client certificates, when the client presents one signed by the CA, then reads, transactions, leases and keepalives work"
  )
  func callsWorkWithClientCertificate() async throws {
    try await SharedEtcdTLSCluster.shared.with { cluster in
      #expect(cluster.clientURLs[0].scheme == "https")
      let client = try Self.client(cluster)
      let prefix = "/tls-\(UUID().uuidString.prefix(8))/"
      try await client.put(prefix + "a", Data("1".utf8))
      #expect(try await client.get(prefix + "a")?.value == Data("1".utf8))
      let created = try await client.txn(
        EtcdTxn(
          compare: [.createRevision(prefix + "leader", equals: 0)],
          success: [.put(prefix + "leader", Data("n1".utf8))]))
      #expect(created.succeeded)
      let lease = try await client.grantLease(ttl: 5)
      // keepalive is a streaming call: its answer comes chunked.
      #expect(try await client.keepAlive(lease.id) > 0)
      try await client.revoke(lease.id)
      #expect(try await client.keepAlive(lease.id) == 0)
      // A large answer (several TLS records and reads) and many concurrent calls through the connection pool.
      let big = Data(repeating: 0x61, count: 200_000)
      try await client.put(prefix + "big", big)
      #expect(try await client.get(prefix + "big")?.value == big)
      try await withThrowingTaskGroup(of: Void.self) { group in
        for index in 0..<40 {
          group.addTask { try await client.put(prefix + "many/\(index)", Data("\(index)".utf8)) }
        }
        try await group.waitForAll()
      }
      #expect(try await client.range(prefix + "many/", prefix: true).kvs.count == 40)
      #expect(await client.memberStatus().map(\.reachable) == [true])
    }
  }

  @Test(
    "Given etcd on https, when the client trusts another CA, then every call is refused saying the certificate is not trusted"
  )
  func wrongCARefused() async throws {
    try await SharedEtcdTLSCluster.shared.with { cluster in
      let files = try #require(cluster.tls)
      let transport = try EtcdSocketTransport(
        caFile: files.otherCAFile, certFile: files.clientCertFile, keyFile: files.clientKeyFile)
      let client = EtcdClient(endpoints: cluster.clientURLs, timeout: 5, transport: transport)
      let reasons = await Self.refusal(client)
      #expect(reasons.count == 1)
      #expect(reasons.first?.contains("certificate is not trusted") == true, "\(reasons)")
      #expect(reasons.first?.contains("storage.tls.ca_file") == true, "\(reasons)")
    }
  }

  @Test(
    "Given a member whose certificate names 127.0.0.1, when the client reaches it as localhost, then the name mismatch is refused"
  )
  func hostNameChecked() async throws {
    try await SharedEtcdTLSCluster.shared.with { cluster in
      let files = try #require(cluster.tls)
      let port = try #require(cluster.clientURLs[0].port)
      let transport = try EtcdSocketTransport(
        caFile: files.caFile, certFile: files.clientCertFile, keyFile: files.clientKeyFile)
      let client = EtcdClient(
        endpoints: [URL(string: "https://localhost:\(port)")!], timeout: 5, transport: transport)
      let reasons = await Self.refusal(client)
      #expect(reasons.first?.contains("certificate is not trusted (hostname mismatch)") == true, "\(reasons)")
    }
  }

  @Test(
    "Given a pooled connection to a member that restarted since, when a call is made, then it goes again on a new connection and succeeds"
  )
  func staleConnectionReplaced() async throws {
    let cluster = try await EtcdCluster(size: 1, tls: try EtcdTLSFiles())
    defer { cluster.stopAll() }
    let client = try Self.client(cluster)
    try await client.put("/stale/a", Data("1".utf8))
    cluster.stop(0)
    try await cluster.restart(0)
    #expect(try await client.get("/stale/a")?.value == Data("1".utf8))
  }

  @Test(
    "Given etcd on plain http, when the same transport is used, then calls and keepalives work without TLS")
  func plainHTTPWorks() async throws {
    try await SharedEtcdCluster.shared.with { cluster in
      let client = EtcdClient(endpoints: cluster.clientURLs, timeout: 5, transport: try EtcdSocketTransport())
      let key = "/plain-\(UUID().uuidString.prefix(8))"
      try await client.put(key, Data("1".utf8))
      #expect(try await client.get(key)?.value == Data("1".utf8))
      let lease = try await client.grantLease(ttl: 5)
      #expect(try await client.keepAlive(lease.id) > 0)
      try await client.revoke(lease.id)
    }
  }

  @Test(
    "Given etcd demanding client certificates, when the client presents none, then every call is refused saying one is required"
  )
  func missingClientCertificateRefused() async throws {
    try await SharedEtcdTLSCluster.shared.with { cluster in
      let files = try #require(cluster.tls)
      let client = EtcdClient(
        endpoints: cluster.clientURLs, timeout: 5, transport: try EtcdSocketTransport(caFile: files.caFile))
      let reasons = await Self.refusal(client)
      #expect(reasons.count == 1)
      #expect(
        reasons.first?.contains("requires a client certificate and none is configured") == true, "\(reasons)")
    }
  }

  @Test(
    "Given a client certificate signed by a CA etcd does not trust, when a call is made, then it is refused naming cert_file"
  )
  func untrustedClientCertificateRefused() async throws {
    try await SharedEtcdTLSCluster.shared.with { cluster in
      let files = try #require(cluster.tls)
      // The other CA's self-signed certificate and key: a valid pair that etcd's CA did not sign.
      let transport = try EtcdSocketTransport(
        caFile: files.caFile, certFile: files.otherCAFile, keyFile: files.directory + "/other-ca-key.pem")
      let client = EtcdClient(endpoints: cluster.clientURLs, timeout: 5, transport: transport)
      let reasons = await Self.refusal(client)
      // Either the alert arrives ("refused Switchboard's client certificate") or, with TLS 1.3, the member resets
      // the connection first and the alert is lost: both sentences name the key to check.
      #expect(reasons.count == 1)
      #expect(reasons.first?.contains("check `storage.tls.cert_file`") == true, "\(reasons)")
    }
  }

  @Test(
    "Given the etcd store on TLS, then it passes the store conformance suite",
    arguments: StoreConformance.checks)
  func storeConforms(_ check: StoreConformanceCheck) async throws {
    try await SharedEtcdTLSCluster.shared.with { cluster in
      let client = try Self.client(cluster)
      let backend = StoreConformanceBackend(
        name: "etcd-tls",
        makeStore: { EtcdStore(client: client, prefix: "/conformance-tls-\(UUID().uuidString.prefix(8))/") },
        tamperWithEvent: { store, seq in
          guard let etcd = store as? EtcdStore else { throw CocoaError(.featureUnsupported) }
          try await EtcdStoreTamper.editMessage(etcd, seq: seq)
        })
      try await check.run(on: backend)
    }
  }

  @Test("Given two nodes campaigning over TLS, then the first leads, confirms, and the second follows it")
  func electionOverTLS() async throws {
    try await SharedEtcdTLSCluster.shared.with { cluster in
      let prefix = "/tls-election-\(UUID().uuidString.prefix(8))/"
      let a = EtcdLeaderElection(
        client: try Self.client(cluster), prefix: prefix, nodeID: "a", apiURL: "http://a", leaseTTL: 3)
      let b = EtcdLeaderElection(
        client: try Self.client(cluster), prefix: prefix, nodeID: "b", apiURL: "http://b", leaseTTL: 3)
      await a.round()
      await b.round()
      #expect(a.isLeader())
      #expect(!b.isLeader())
      #expect(b.status().leader?.nodeID == "a")
      try await a.confirm()
      await a.stop()
      await b.stop()
    }
  }

  @Test(
    "Given a member that accepts connections but never answers, when a call is made, then it fails after the timeout"
  )
  func silentMemberTimesOut() async throws {
    let (fd, port) = try Self.silentListener()
    defer { close(fd) }
    let files = try EtcdTLSFiles()
    let client = EtcdClient(
      endpoints: [URL(string: "https://127.0.0.1:\(port)")!], timeout: 0.5,
      transport: try EtcdSocketTransport(caFile: files.caFile))
    let started = ContinuousClock.now
    let reasons = await Self.refusal(client)
    let elapsed = ContinuousClock.now - started
    #expect(reasons.first?.contains("timed out after 0.5 s") == true, "\(reasons)")
    #expect(elapsed < .seconds(3), "the call took \(elapsed)")
  }

  @Test(
    "Given a call waiting on a member that never answers, when its task is cancelled, then it ends at once")
  func cancelledCallEnds() async throws {
    let (fd, port) = try Self.silentListener()
    defer { close(fd) }
    let client = EtcdClient(
      endpoints: [URL(string: "http://127.0.0.1:\(port)")!], timeout: 30, transport: try EtcdSocketTransport()
    )
    let started = ContinuousClock.now
    let call = Task { try await client.get("/x") }
    // Bounded wait until the connection reaches the listener: the call is then in flight.
    var listener = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    #expect(poll(&listener, 1, 10_000) == 1)
    call.cancel()
    let result = await call.result
    let elapsed = ContinuousClock.now - started
    #expect(elapsed < .seconds(5), "the cancelled call took \(elapsed)")
    guard case .failure(let error) = result, case .unavailable(let reasons)? = error as? EtcdError else {
      Issue.record("expected unavailable, got \(result)")
      return
    }
    #expect(reasons.last == "cancelled", "\(reasons)")
  }

  @Test(
    "Given storage.tls files that are missing or not PEM, when the transport is made, then it names the key")
  func badFilesNamed() throws {
    let files = try EtcdTLSFiles()
    #expect {
      try EtcdSocketTransport(caFile: files.directory + "/missing.pem")
    } throws: {
      "\($0)".contains("`storage.tls.ca_file`") && "\($0)".contains("does not exist")
    }
    #expect {
      try EtcdSocketTransport(
        caFile: files.caFile, certFile: files.clientCertFile, keyFile: files.serverKeyFile)
    } throws: {
      "\($0)".contains("`storage.tls.key_file`") && "\($0)".contains("is not the private key")
    }
  }

  /// A loopback socket that listens (so connections complete in the kernel) but never accepts or answers.
  static func silentListener() throws -> (Int32, Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard fd >= 0, bound == 0, listen(fd, 8) == 0 else { throw HarnessError("cannot listen on loopback") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
  }
}
