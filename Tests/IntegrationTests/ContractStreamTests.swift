import Foundation
import Switchboard
import Testing

/// The document's Server-Sent Events operations against a real server, beyond what schemathesis can check of a
/// stream that never ends: the stream opens for a viewer, and a mutation's event arrives on it, framed as the
/// contract says, naming the token that made it.
@Suite("API contract: event streams", .serialized)
struct ContractStreamTests {
  @Test(
    "Given an open event stream, when an operator creates an override, then its event arrives with id, kind and actor"
  )
  func mutationArrivesOnTheStream() async throws {
    let server = try await ContractServer()
    defer { server.stop() }
    let streams = try await server.contract().operations.filter {
      $0.responseMediaTypes.contains("text/event-stream")
    }
    try #require(!streams.isEmpty, "no operation of the document answers text/event-stream")

    for operation in streams {
      let stream = try await EventStreamClient(
        port: server.port, operation.target(), headers: [("Authorization", "Bearer \(server.token(.viewer))")]
      )
      let head = try #require(stream.head, "\(operation): no response head:\n\(stream.text)")
      try #require(head.status == 200, "\(operation): \(head)")
      #expect(head.mediaType == "text/event-stream", "\(operation): \(head)")

      let created = try await server.call(
        "POST", "/api/v1/overrides", token: server.token(.operator),
        json: #"{"scope":"global","kind":"freeze","reason":"stream check"}"#)
      try #require(created.status == 201, "\(created)")
      let id = try #require(created.object?["id"] as? String)

      let text = try await stream.text(containing: "event: override.created", within: 20)
      let frame = try #require(
        text.components(separatedBy: "\n\n").first { $0.contains("event: override.created") })
      let lines = frame.split(separator: "\n").map(String.init)
      let data = try #require(lines.first { $0.hasPrefix("data: ") }, "\(operation): no data line:\n\(frame)")
      let event = try #require(
        try JSONSerialization.jsonObject(with: Data(data.dropFirst(6).utf8)) as? [String: Any],
        "\(operation): data is not a JSON object:\n\(frame)")
      #expect(event["actor"] as? String == "contract-operator", "\(operation): \(event)")
      #expect(event["kind"] as? String == "override.created", "\(operation): \(event)")
      #expect("\(event)".contains(id), "\(operation): the event should name override \(id): \(event)")
      let seq = try #require(event["seq"] as? Int, "\(operation): \(event)")
      #expect(lines.contains("id: \(seq)"), "\(operation): the frame's id must be the event's seq:\n\(frame)")
    }
  }
}
