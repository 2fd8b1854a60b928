import FailoverCore
import Foundation
import HTTPServer
import Switchboard
import Synchronization
import Testing
import Webhooks

/// The webhook notifier against our own HTTP server on loopback, which records what it receives.
@Suite("Webhook notifier")
struct WebhookNotifierTests {
  /// A receiving server: `POST /hook/{secret}` answers `status` and keeps each request.
  final class Receiver: Sendable {
    final class Inbox: Sendable {
      let requests = Mutex<[Request]>([])
    }
    let server: HTTPServer
    let inbox = Inbox()
    let base: String

    init(status: Status = .noContent) throws {
      var router = Router()
      let inbox = self.inbox
      router.post("/hook/{secret}") { request in
        inbox.requests.withLock { $0.append(request) }
        return Response(status: status)
      }
      server = HTTPServer(
        configuration: ServerConfiguration(listen: [ListenAddress(host: "127.0.0.1", port: 0)]),
        router: router)
      try server.start()
      base = "http://127.0.0.1:\(server.boundAddresses[0].port)"
    }

    var requests: [Request] { inbox.requests.withLock { $0 } }
  }

  static let notification = FailoverNotification(
    kind: .succeeded, service: "api.example.com", fromRegion: "us-east-1", toRegion: "us-west-2",
    reason: "Traffic now goes to us-west-2=100.", timings: ["decided": 3.0, "verified": 4.5],
    at: Date(timeIntervalSince1970: 1_790_000_000))

  @Test(
    "Given a webhook that answers 204, when a notification is sent, then it receives one JSON POST with text and fields"
  )
  func deliversJSON() async throws {
    let receiver = try Receiver()
    defer { Task { await receiver.server.shutdown() } }
    let notifier = try WebhookNotifier(parsing: "\(receiver.base)/hook/s3cr3t", timeout: 10)

    try await notifier.notify(Self.notification)

    let requests = receiver.requests
    #expect(requests.count == 1)
    let request = try #require(requests.first)
    #expect(request.method == .POST)
    #expect(request.headers["Content-Type"] == "application/json")
    let payload = try WebhookPayload.decode(Data(request.body))
    #expect(
      payload.text
        == "Failover succeeded for api.example.com: now in us-west-2. Traffic now goes to us-west-2=100.")
    #expect(payload.kind == "succeeded")
    #expect(payload.service == "api.example.com")
    #expect(payload.fromRegion == "us-east-1" && payload.toRegion == "us-west-2")
    #expect(payload.reason == "Traffic now goes to us-west-2=100.")
    #expect(payload.timings == ["decided": 3.0, "verified": 4.5])
    #expect(payload.at == Self.notification.at)
    let raw = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
    #expect(raw["from_region"] as? String == "us-east-1")
    #expect(raw["at"] as? String == "2026-09-21T14:13:20Z")
  }

  @Test(
    "Given a webhook that answers 500, when a notification is sent, then the error names the status but not the secret"
  )
  func serverErrorIsAnError() async throws {
    let receiver = try Receiver(status: .internalServerError)
    defer { Task { await receiver.server.shutdown() } }
    let notifier = try WebhookNotifier(parsing: "\(receiver.base)/hook/s3cr3t")

    let error = await #expect(throws: WebhookError.self) { try await notifier.notify(Self.notification) }

    #expect(error?.status == 500)
    #expect(error?.message.contains("HTTP 500") == true)
    #expect(error?.message.contains("s3cr3t") == false)
    #expect(receiver.requests.count == 1)
  }

  @Test(
    "Given a webhook that refuses connections, when a notification is sent, then the error says it was not reached"
  )
  func unreachableIsAnError() async throws {
    let receiver = try Receiver()
    let base = receiver.base
    await receiver.server.shutdown()
    let notifier = try WebhookNotifier(parsing: "\(base)/hook/s3cr3t", timeout: 5)

    let error = await #expect(throws: WebhookError.self) { try await notifier.notify(Self.notification) }

    #expect(error?.status == nil)
    #expect(error?.message.contains("could not be reached") == true)
    #expect(error?.message.contains("s3cr3t") == false)
  }

  @Test(
    "Given a webhook that fails, when the fan-out delivers, then the other channel still receives it and the failure is reported"
  )
  func fanOutTriesEveryChannel() async throws {
    let failing = try Receiver(status: .badGateway)
    let working = try Receiver()
    defer {
      Task {
        await failing.server.shutdown()
        await working.server.shutdown()
      }
    }
    let fanOut = FanOutNotifier([
      .init(name: "webhook", notifier: try WebhookNotifier(parsing: "\(failing.base)/hook/a")),
      .init(name: "backup", notifier: try WebhookNotifier(parsing: "\(working.base)/hook/b")),
    ])

    let error = await #expect(throws: FanOutNotifierError.self) { try await fanOut.notify(Self.notification) }

    #expect(error?.failures.count == 1)
    #expect(error?.failures.first?.hasPrefix("webhook: ") == true)
    #expect(working.requests.count == 1)
  }

  @Test("Given a URL that is not http(s), when the notifier is made, then it is refused with a sentence")
  func refusesBadURL() {
    #expect(throws: WebhookError.self) { try WebhookNotifier(parsing: "ftp://hooks.example.com/x") }
    #expect(throws: WebhookError.self) { try WebhookNotifier(parsing: "not a url") }
  }
}
