import Foundation
import Testing

/// An automation author's path: `openapi-python-client` (PyPI) generates a client from the document a live
/// `serve` serves, and that client's calls parse against the same server. A generator that drops a schema or an
/// operation, or a response the generated models cannot read, fails here.
@Suite("API contract: a generated Python client", .serialized)
struct ContractGeneratedClientTests {
  /// The script run with the generated package on its path: each call must come back as its documented model.
  static func script(clientDirectory: String, base: String, token: String) -> String {
    """
    import sys
    sys.path.insert(0, \(pythonString(clientDirectory)))
    from switchboard_api_client import AuthenticatedClient
    from switchboard_api_client.api.explain import what_if
    from switchboard_api_client.api.overrides import create_override
    from switchboard_api_client.api.services import list_services
    from switchboard_api_client.api.status import get_status, get_statuspage_summary
    from switchboard_api_client.models import (
        HoldOverrideRequest, HoldOverrideRequestKind, ListServicesResponse200, Override, StatusDocument,
        StatuspageSummaryDocument, WhatIf)

    client = AuthenticatedClient(base_url=\(pythonString(base)), token=\(pythonString(token)),
                                 raise_on_unexpected_status=True, timeout=20)

    def expect(name, value, model):
        if not isinstance(value, model):
            sys.exit(f"{name}: expected {model.__name__}, got {type(value).__name__}: {value!r}")
        print(f"{name}: {model.__name__}")
        return value

    services = expect("list services", list_services.sync(client=client), ListServicesResponse200)
    assert [s.id for s in services.services] == ["api.example.com"], services
    status = expect("status", get_status.sync(client=client), StatusDocument)
    assert status.indicator.value == "none", status.indicator
    summary = expect("statuspage summary", get_statuspage_summary.sync(client=client), StatuspageSummaryDocument)
    assert summary.incidents == [] and summary.scheduled_maintenances == [], summary
    body = HoldOverrideRequest(scope="service:api.example.com", kind=HoldOverrideRequestKind.BLOCK,
                               reason="generated client", duration_seconds=600.0)
    created = expect("create override", create_override.sync(client=client, body=body), Override)
    assert created.active and created.kind.value == "block", created
    plan = expect("what-if", what_if.sync("api.example.com", client=client, target_region="us-west-2"), WhatIf)
    assert plan.target_region == "us-west-2", plan
    print("generated client: every call parsed")
    """
  }

  static func pythonString(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
  }

  @Test(
    "Given a live server, when openapi-python-client generates a client from its document, then every schema is generated and list, status, summary, create override and what-if parse"
  )
  func generatedClientWorks() async throws {
    guard let generator = ChildProcess.which("openapi-python-client") else {
      Issue.record(
        "openapi-python-client is not on PATH: run scripts/install-prerequisites (pip install openapi-python-client)."
      )
      return
    }
    let server = try await ContractServer()
    defer { server.stop() }
    let directory = try ChildProcess.temporaryDirectory("generated-client")
    let generated = try await ContractSchemathesisTests.run(
      generator,
      [
        "generate", "--url", "\(server.base)/openapi.yaml", "--output-path", directory + "/client",
        "--overwrite",
      ], directory: directory, timeout: 240)
    #expect(!generated.timedOut && generated.status == 0, "\(generated.output)")
    // The one warning left: GET /openapi.yaml answers YAML, which the generator does not read as a model.
    #expect(!generated.output.contains("Unable to process schema"), "\(generated.output)")
    let warnings = generated.output.components(separatedBy: "\n").filter { $0.hasPrefix("WARNING parsing") }
    #expect(warnings == ["WARNING parsing GET /openapi.yaml within health."], "\(generated.output)")

    let scriptPath = directory + "/smoke.py"
    try Self.script(clientDirectory: directory + "/client", base: server.base, token: server.token(.admin))
      .write(toFile: scriptPath, atomically: true, encoding: .utf8)
    guard let python = ChildProcess.which("python3") else {
      Issue.record("python3 is not on PATH.")
      return
    }
    let run = try await ContractSchemathesisTests.run(
      python, [scriptPath], directory: directory, timeout: 120)
    #expect(!run.timedOut && run.status == 0, "\(run.output)")
    #expect(run.output.contains("generated client: every call parsed"), "\(run.output)")
  }
}
