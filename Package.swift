// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "Switchboard",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "switchboard", targets: ["SwitchboardCLI"]),
    .library(name: "HTTPServer", targets: ["HTTPServer"]),
    .library(name: "FailoverCore", targets: ["FailoverCore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
  ],
  targets: [
    // OpenSSL (TLS) and nghttp2 (HTTP/2), the C libraries the server is built around.
    // epoll for the server's per-worker readiness multiplexer.
    .target(name: "CEPoll"),
    // glibc's heap controls (malloc_trim, the arena cap) for a long-running serve.
    .target(name: "CMalloc"),
    .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
    .systemLibrary(name: "CNGHTTP2", pkgConfig: "libnghttp2", providers: [.apt(["libnghttp2-dev"])]),
    // Linux only (Glibc, epoll, OpenSSL): said here once, not in #if branches.
    // The socket, TLS-session and resolver layer shared by the server and the prober (no Foundation).
    .target(name: "Sockets", dependencies: ["COpenSSL"]),
    // The bare HTTP server: sockets + Dispatch, HTTP/1.1, TLS, HTTP/2. Knows nothing about failover.
    .target(
      name: "HTTPServer",
      dependencies: [
        "Sockets", "CEPoll", "COpenSSL", "CNGHTTP2", .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // The failover domain: pure Swift, no I/O, everything takes a Clock.
    .target(name: "FailoverCore"),
    // The HTTP(S) prober with Route53's semantics; implements FailoverCore's Prober port.
    .target(name: "Probing", dependencies: ["FailoverCore", "Sockets", "COpenSSL"]),
    // AWS adapters: SigV4, credentials, Route53, CloudWatch, SNS.
    .target(
      name: "AWS",
      dependencies: [
        "FailoverCore",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // DNS: wire format, TSIG, the built-in authoritative server and the RFC 2136 provider (DNSProvider port).
    .target(
      name: "DNS",
      dependencies: [
        "FailoverCore", "Sockets", "CEPoll", .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // SQLite store (GRDB) implementing FailoverCore's persistence.
    .target(
      name: "Store",
      dependencies: [
        "FailoverCore", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    // etcd v3 over its HTTP/JSON gateway: the client, the store backend, leader election and fencing.
    .target(
      name: "Etcd",
      dependencies: [
        "FailoverCore", "Configuration", "Store", "Sockets", "COpenSSL",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // The configuration file: YAML reader, decoder, validator, settings, problems, secret keys, environment
    // overrides, API token making.
    .target(
      name: "Configuration",
      dependencies: [
        "FailoverCore", "HTTPServer",
        .product(name: "Yams", package: "Yams"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    // `plan`, `bootstrap` and `teardown`: the desired Route53/CloudWatch state built from a configuration.
    .target(name: "Provisioning", dependencies: ["Configuration", "AWS", "FailoverCore", "HTTPServer"]),
    // The webhook notifier: implements FailoverCore's Notifier port over HTTP POST (JSON).
    .target(
      name: "Webhooks", dependencies: ["FailoverCore", .product(name: "Crypto", package: "swift-crypto")]),
    // The seeds' health-check function as a tiny HTTP service (`switchboard sample-region`).
    .target(name: "SampleRegion", dependencies: ["HTTPServer"]),
    // The application: wiring, engine loop, HTTP API. It reaches the store only through FailoverCore's
    // store ports (no dependency on Store: only the executable's wiring opens a backend).
    .target(
      name: "Switchboard",
      dependencies: [
        "HTTPServer", "FailoverCore", "AWS", "Configuration", "Provisioning", "Webhooks",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Yams", package: "Yams"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      // The OpenAPI contract (openapi/openapi.yaml links here), served at /openapi.yaml.
      resources: [.copy("Resources/openapi.yaml")]
    ),
    // The drills' REST routes (create, preview, update, cancel, pause, resume, abort, reports), over the app's API.
    .target(name: "DrillAPI", dependencies: ["Switchboard", "HTTPServer", "FailoverCore"]),
    // The status documents (`/api/v1/status`, Statuspage's status.json and summary.json): rendered on visible
    // engine changes, incrementally, served from memory; registered by the composition root.
    .target(
      name: "StatusPages",
      dependencies: [
        "Switchboard", "HTTPServer", "FailoverCore", .product(name: "Logging", package: "swift-log"),
      ]),
    // Prometheus metrics of the engine, probes, workflows, AWS calls and HTTP requests, and `GET /metrics`.
    .target(
      name: "Telemetry",
      dependencies: [
        "Switchboard", "HTTPServer", "FailoverCore", "AWS", "CMalloc",
        .product(name: "Prometheus", package: "swift-prometheus"),
      ]
    ),
    // The composition root: builds store, engine, prober, notifiers, AWS clients, server and routes from a
    // configuration; the one place besides Store that names the SQLite store. `serve` and the test harnesses use it.
    .target(
      name: "SwitchboardApplication",
      dependencies: [
        "Switchboard", "Store", "Probing", "AWS", "HTTPServer", "FailoverCore", "Configuration",
        "Provisioning", "Webhooks", "SampleRegion", "Telemetry", "DrillAPI", "DNS", "StatusPages",
        "Etcd",
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // The `switchboard` command (product and binary keep that name).
    .executableTarget(
      name: "SwitchboardCLI",
      dependencies: [
        "Switchboard", "HTTPServer", "Probing", "AWS", "Store",
        "SwitchboardApplication",
        "Sockets", "CMalloc",
        "Configuration", "Provisioning", "Webhooks", "SampleRegion",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"]),
    .testTarget(name: "FailoverCoreTests", dependencies: ["FailoverCore"]),
    .testTarget(name: "DNSTests", dependencies: ["DNS", "FailoverCore"]),
    // The etcd client, store backend and leader election against a real three-member etcd.
    .testTarget(
      name: "EtcdTests", dependencies: ["Etcd", "FailoverCore", "TestPeers", "StoreConformance", "Store"]),
    // Test support shared by the targets that start real peers (moto_server, child processes).
    .target(name: "TestPeers", dependencies: ["AWS"], path: "Tests/TestPeers"),
    .testTarget(name: "AWSTests", dependencies: ["AWS", "FailoverCore", "TestPeers"]),
    // The store conformance suite: checks written against FailoverCore's store ports, run by every backend.
    .target(name: "StoreConformance", dependencies: ["FailoverCore"], path: "Tests/StoreConformance"),
    .testTarget(
      name: "StoreTests",
      dependencies: [
        "Store", "FailoverCore", "StoreConformance", .product(name: "GRDB", package: "GRDB.swift"),
      ],
      // Store files written by older code, opened by path (`#filePath`) in the tests that read them.
      exclude: ["Fixtures"]
    ),
    .testTarget(
      name: "SwitchboardTests",
      dependencies: [
        "Switchboard", "HTTPServer", "Probing", "FailoverCore", "Store", "AWS", "TestPeers",
        "SwitchboardApplication", "Telemetry", "StatusPages",
        "Configuration", "Provisioning", "Webhooks", "SampleRegion",
        "Sockets",
        .product(name: "Yams", package: "Yams"),
      ],
      // Files read by path (`#filePath`): golden status documents with the engine states they were rendered
      // from, and every-key.yaml for the configuration reference test.
      exclude: ["Fixtures"]),
    .testTarget(
      name: "IntegrationTests",
      dependencies: [
        "Switchboard", "HTTPServer", "AWS", "FailoverCore", "Store", "TestPeers",
        "Configuration", "Provisioning", "Webhooks", "SampleRegion",
        "Etcd",
        // The contract tests read openapi.yaml to drive the authorization matrix.
        .product(name: "Yams", package: "Yams"),
      ]),
  ]
)
