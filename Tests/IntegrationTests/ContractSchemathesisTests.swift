import Foundation
import Switchboard
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Schemathesis (PyPI, v4) against a live `switchboard serve`, driven by the document the server serves: every
/// operation, positive and negative data, with the admin token; no 5xx and no response that breaks the contract.
@Suite("API contract: schemathesis", .serialized)
struct ContractSchemathesisTests {
  /// The checks run on every response. Left out:
  /// - `object_level_authorization`: it needs two principals owning different resources; Switchboard's resources
  ///   belong to no token (the role matrix is ContractAuthorizationTests).
  /// - `use_after_free`: it expects a 404 after a DELETE, but the one DELETE (`clearOverride`) clears an override,
  ///   which stays readable with `active: false` for the audit trail, as the document says.
  static let checks = [
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance", "negative_data_rejection", "positive_data_acceptance",
    "missing_required_header", "unsupported_method", "allow_header_conformance", "ignored_auth",
    "ensure_resource_availability",
  ]

  /// Operations whose documented answers include a 5xx by design: the verdict endpoint answers 503 for a region
  /// that receives no traffic (Route53 health checks read the status), readiness answers 503 when a check fails.
  static let documentedServerErrors = ["getRoutingVerdict", "getReadiness"]

  /// Test cases per operation and phase: enough to reach every branch of validation, small enough for a
  /// 2-core machine (measured: about 1,300 requests in 13-28 s while other builds ran). A deeper local hunt:
  /// `CONTRACT_MAX_EXAMPLES=300 swift test --skip-build --filter ContractSchemathesisTests`.
  static let maxExamples =
    ProcessInfo.processInfo.environment["CONTRACT_MAX_EXAMPLES"].flatMap { Int($0) } ?? 30
  /// The run is killed (and the test fails) after this long: 150 s for the default, more for a deeper hunt.
  static let timeoutSeconds = 150.0 * max(1, Double(maxExamples) / 30)

  /// The run's configuration: realistic values (the configured service and regions) for most requests so they
  /// reach the handlers instead of a 404, random ones for the rest; the per-operation exceptions above.
  static func configuration(_ contract: OpenAPIContract) -> String {
    let regions = ContractServer.regions.map { "\"\($0)\"" }.joined(separator: ", ")
    let scopes =
      (["global", "service:\(ContractServer.service)"] + ContractServer.regions.map { "region:\($0)" })
      .map { "\"\($0)\"" }.joined(separator: ", ")
    var toml = """
      [generation]
      database = "none"

      [dictionaries.services]
      values = ["\(ContractServer.service)"]

      [dictionaries.regions]
      values = [\(regions)]

      [dictionaries.scopes]
      values = [\(scopes)]

      [parameters]
      "path.service" = { dictionary = "services", probability = 0.8 }
      "path.region" = { dictionary = "regions", probability = 0.8 }
      "query.target_region" = { dictionary = "regions", probability = 0.8 }
      "body.target_region" = { dictionary = "regions", probability = 0.8 }
      "body.scope" = { dictionary = "scopes", probability = 0.8 }

      # Schema-valid data may still name no configured region or break a safety rule: 422 and 409 are the
      # documented refusals of well-formed requests, 304 the answer to a matching If-None-Match. A 400
      # (malformed) for valid data is a failure.
      [checks.positive_data_acceptance]
      expected-statuses = ["2xx", "304", "401", "403", "404", "409", "422"]

      """
    for id in documentedServerErrors where contract.operations.contains(where: { $0.id == id }) {
      toml += """

        [[operations]]
        include-operation-id = "\(id)"
        checks.not_a_server_error.expected-statuses = ["2xx", "3xx", "4xx", "503"]
        checks.positive_data_acceptance.expected-statuses = ["2xx", "404", "503"]

        """
    }
    // A Server-Sent Events stream never ends: schemathesis reads it until one event arrived or one second
    // passed (then checks what came, and closes), on fewer examples. ContractStreamTests follows a live event.
    for operation in contract.operations where operation.responseMediaTypes.contains("text/event-stream") {
      toml += """

        [[operations]]
        include-operation-id = "\(operation.id)"
        max-stream-events = 1
        request-timeout = 1.0
        generation.max-examples = 5

        """
    }
    return toml
  }

  @Test(
    "Given a live server and its document, when schemathesis fuzzes every operation with the admin token, then no 5xx and no response breaks the contract"
  )
  func schemathesisFindsNothing() async throws {
    guard let schemathesis = ChildProcess.which("schemathesis") else {
      Issue.record(
        "schemathesis is not on PATH: run scripts/install-prerequisites (pip install schemathesis).")
      return
    }
    let server = try await ContractServer()
    defer { server.stop() }
    let contract = try await server.contract()
    let directory = try ChildProcess.temporaryDirectory("schemathesis")
    let configPath = directory + "/schemathesis.toml"
    try Self.configuration(contract).write(toFile: configPath, atomically: true, encoding: .utf8)
    let seed = Int.random(in: 1...999_999)
    let arguments = [
      "--config-file", configPath, "--no-color", "run", "\(server.base)/openapi.yaml",
      "--header", "Authorization: Bearer \(server.token(.admin))",
      "--checks", Self.checks.joined(separator: ","), "--mode", "all",
      "--phases", "examples,coverage,fuzzing,stateful", "--max-examples", String(Self.maxExamples),
      "--seed", String(seed), "--request-timeout", "20", "--workers", "1",
      // Hypothesis's data-generation speed check trips on a loaded 2-core machine; it says nothing about the API.
      "--suppress-health-check", "too_slow",
      "--report", "junit", "--report-dir", directory + "/report",
    ]

    let started = Date()
    let run = try await Self.run(schemathesis, arguments, directory: directory, timeout: Self.timeoutSeconds)
    let seconds = Date().timeIntervalSince(started)

    let summary = run.output.split(separator: "\n").filter {
      $0.contains("generated") || $0.contains(" in ") && $0.hasPrefix("=")
    }
    print(
      "ContractSchemathesisTests: seed \(seed), \(contract.operations.count) operations, "
        + String(format: "%.1f s", seconds) + "; " + summary.joined(separator: "; "))
    #expect(!run.timedOut, "schemathesis did not finish within \(Self.timeoutSeconds) s:\n\(run.output)")
    #expect(run.status == 0, "schemathesis found failures (seed \(seed)):\n\(run.output)")
    #expect(!run.output.contains(server.token(.admin)), "the token must not appear in the report")

    // Whatever it sent, the server is still up and its audit chain is intact.
    let health = try await server.call("GET", "/healthz", token: nil)
    #expect(health.status == 200, "\(health)")
    let audit = try await server.call("GET", "/api/v1/audit/verify", token: server.token(.viewer))
    #expect(audit.status == 200 && audit.object?["intact"] as? Bool == true, "\(audit)")
  }

  /// What a bounded child process printed and how it ended.
  struct Run {
    var status: Int32
    var output: String
    var timedOut: Bool
  }

  /// Runs `executable` in `directory` (its stdout and stderr in one file), killing it after `timeout` seconds.
  static func run(_ executable: String, _ arguments: [String], directory: String, timeout: Double)
    async throws
    -> Run
  {
    let outputPath = directory + "/schemathesis.out"
    _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    environment["COLUMNS"] = "120"
    process.environment = environment
    let output = FileHandle(forWritingAtPath: outputPath)
    process.standardOutput = output
    process.standardError = output
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { try await Task.sleep(nanoseconds: 100_000_000) }
    let timedOut = process.isRunning
    if timedOut { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus,
      output: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "", timedOut: timedOut)
  }
}
