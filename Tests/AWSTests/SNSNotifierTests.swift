import AWS
import FailoverCore
import Foundation
import Testing

@Suite("SNS notifier against moto_server (signature checking on)", .serialized)
struct SNSNotifierTests {
  static let moto = MotoServer()

  @Test(
    "Given a topic with an SQS subscriber, when a failover is initiated, then the subscriber gets subject and JSON"
  )
  func notifyInitiated() async throws {
    let context = try await MotoContext.make(Self.moto)
    let sns = context.testerQuery(service: "SNS", signingName: "sns", version: "2010-03-31")
    let sqs = context.testerQuery(service: "SQS", signingName: "sqs", version: "2012-11-05")
    let topic = try await SNSNotifier.createTopic(name: "switchboard-oncall", using: sns)
    let queueURL = try #require(
      try await sqs.call("CreateQueue", [("QueueName", "oncall")]).value("QueueUrl"))
    let queueARN = "arn:aws:sqs:us-east-1:123456789012:oncall"
    try await sns.call(
      "Subscribe", [("TopicArn", topic), ("Protocol", "sqs"), ("Endpoint", queueARN)])

    let notifier = SNSNotifier(
      endpoint: context.url, region: "us-east-1", topicARN: topic, credentials: context.provider,
      retry: MotoContext.testRetry)
    let at = Date(timeIntervalSince1970: 1_800_000_000)
    try await notifier.notify(
      FailoverNotification(
        kind: .initiated, service: "api", fromRegion: "us-east-1", toRegion: "us-west-2",
        reason: "3 consecutive probe failures", timings: ["detection": 3.2], at: at))

    let received = try await sqs.call(
      "ReceiveMessage", [("QueueUrl", queueURL), ("MaxNumberOfMessages", "10"), ("WaitTimeSeconds", "1")])
    let bodies =
      received.child("ReceiveMessageResult")?.children("Message").compactMap { $0.value("Body") }
      ?? received.children("Message").compactMap { $0.value("Body") }
    let body = try #require(bodies.first)
    let envelope = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    #expect(envelope["Subject"] as? String == "Failover initiated for api: us-east-1 -> us-west-2")
    let message = try #require(envelope["Message"] as? String)
    let payload = try #require(try JSONSerialization.jsonObject(with: Data(message.utf8)) as? [String: Any])
    #expect(payload["kind"] as? String == "initiated")
    #expect(payload["service"] as? String == "api")
    #expect(payload["fromRegion"] as? String == "us-east-1")
    #expect(payload["toRegion"] as? String == "us-west-2")
    #expect(payload["reason"] as? String == "3 consecutive probe failures")
    #expect((payload["timings"] as? [String: Double])?["detection"] == 3.2)
    #expect(payload["at"] as? String == "2027-01-15T08:00:00Z")
  }

  @Test(
    "Given each notification kind, when rendered for SNS, then subjects are ASCII, one line, at most 100 chars"
  )
  func subjects() {
    for kind in [FailoverNotification.Kind.initiated, .blocked, .succeeded, .failed] {
      let notification = FailoverNotification(
        kind: kind, service: String(repeating: "s", count: 120), fromRegion: "eu-west-1",
        toRegion: "eu-central-1",
        reason: "r", at: Date())
      let subject = SNSNotifier.subject(notification)
      #expect(subject.count <= 100)
      #expect(subject.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 32 })
    }
  }

  @Test("Given a topic that does not exist, when notifying, then NotFound comes back as a typed error")
  func missingTopic() async throws {
    let context = try await MotoContext.make(Self.moto)
    let notifier = SNSNotifier(
      endpoint: context.url, region: "us-east-1",
      topicARN: "arn:aws:sns:us-east-1:123456789012:switchboard-none",
      credentials: context.provider, retry: MotoContext.testRetry)
    let error = await #expect(throws: AWSError.self) {
      try await notifier.notify(
        FailoverNotification(
          kind: .failed, service: "api", fromRegion: nil, toRegion: nil, reason: "x", at: Date()))
    }
    #expect(error?.code == "NotFound")
  }
}
