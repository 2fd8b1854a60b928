import AWS
import Foundation
import Synchronization
import Testing

/// The executor tells its observer about every finished operation, once, with attempts and error code: through a
/// fault-injecting proxy in front of moto_server.
@Suite("AWS call observer", .serialized)
struct CallObserverTests {
  static let moto = MotoServer()

  /// Keeps what it hears.
  final class Recorder: AWSCallObserver {
    let calls = Mutex<[AWSCallRecord]>([])
    func callCompleted(_ call: AWSCallRecord) { calls.withLock { $0.append(call) } }
    var heard: [AWSCallRecord] { calls.withLock { $0 } }
  }

  @Test(
    "Given one throttled answer, when a read is retried and succeeds, then one call with two attempts is heard"
  )
  func retriedCall() async throws {
    let context = try await MotoContext.make(Self.moto)
    let proxy = try await FaultProxy(upstreamPort: await Self.moto.port)
    defer { proxy.stop() }
    try proxy.inject(["throttle:Throttling"])
    let recorder = Recorder()
    let route53 = Route53Client(
      endpoint: proxy.url, credentials: context.provider, retry: MotoContext.testRetry, observer: recorder)

    _ = try await route53.listHostedZonesByName()

    let heard = recorder.heard
    #expect(heard.count == 1)
    #expect(heard.first?.service == "Route53")
    #expect(heard.first?.operation == "ListHostedZonesByName")
    #expect(heard.first?.attempts == 2)
    #expect(heard.first?.errorCode == nil)
    #expect((heard.first?.durationSeconds ?? -1) >= 0)
  }

  @Test("Given a validation error, when a call fails, then it is heard once with the service's error code")
  func failedCall() async throws {
    let context = try await MotoContext.make(Self.moto)
    let proxy = try await FaultProxy(upstreamPort: await Self.moto.port)
    defer { proxy.stop() }
    try proxy.inject(["throttle:ValidationError"])
    let recorder = Recorder()
    let cloudWatch = CloudWatchClient(
      endpoint: proxy.url, region: "us-east-1", credentials: context.provider, retry: MotoContext.testRetry,
      observer: recorder)

    await #expect(throws: AWSError.self) { try await cloudWatch.describeAlarms(prefix: "switchboard-") }

    let heard = recorder.heard
    #expect(heard.count == 1)
    #expect(heard.first?.service == "CloudWatch")
    #expect(heard.first?.operation == "DescribeAlarms")
    #expect(heard.first?.attempts == 1)
    #expect(heard.first?.errorCode == "ValidationError")
  }
}
