import AWS
import Foundation
import Testing

@Suite("Signature checking and the shipped IAM policy (moto_server with auth on)", .serialized)
struct SignatureCheckingTests {
  static let moto = MotoServer()

  @Test("Given the IAM user's real key, when calling each service, then moto accepts the signatures")
  func rightSecretWorks() async throws {
    let context = try await MotoContext.make(Self.moto)
    _ = try await context.route53().listHostedZonesByName()
    _ = try await context.cloudWatch().describeAlarms(prefix: "switchboard-")
  }

  @Test(
    "Given a wrong secret, when calling, then a clear SignatureDoesNotMatch error without the secret arrives")
  func wrongSecretFails() async throws {
    let context = try await MotoContext.make(Self.moto)
    let wrong = AWSCredentials(
      accessKeyID: context.credentials.accessKeyID, secretAccessKey: "not-the-real-secret")
    let route53 = Route53Client(
      endpoint: context.url, credentials: StaticCredentialProvider(wrong), retry: MotoContext.testRetry)

    let error = await #expect(throws: AWSError.self) { try await route53.listHostedZonesByName() }
    guard case .service(let service)? = error else {
      Issue.record("expected an unretried service error, got \(String(describing: error))")
      return
    }
    #expect(service.code == "SignatureDoesNotMatch")
    #expect(service.httpStatus == 403)
    let text = service.description
    #expect(text.contains("Check the access key id and secret access key"))
    #expect(!text.contains("not-the-real-secret"))
    #expect(!text.contains(context.credentials.secretAccessKey))
  }

  @Test("Given an unknown access key, when calling, then InvalidClientTokenId comes back")
  func unknownKey() async throws {
    let context = try await MotoContext.make(Self.moto)
    let unknown = AWSCredentials(accessKeyID: "AKIAUNKNOWNKEY000000", secretAccessKey: "whatever")
    let cloudWatch = CloudWatchClient(
      endpoint: context.url, region: "us-east-1", credentials: StaticCredentialProvider(unknown),
      retry: MotoContext.testRetry)
    let error = await #expect(throws: AWSError.self) { try await cloudWatch.describeAlarms(prefix: "x") }
    #expect(error?.code == "InvalidClientTokenId")
  }

  @Test(
    "Given the shipped least-privilege policy, when calling an action it does not grant, then AccessDenied")
  func policyDeniesOthers() async throws {
    let context = try await MotoContext.make(Self.moto)
    let executor = AWSRequestExecutor(
      endpoint: AWSServiceEndpoint(
        serviceName: "SNS", signingName: "sns", region: "us-east-1", url: context.url),
      credentials: context.provider, retry: MotoContext.testRetry)
    let error = await #expect(throws: AWSError.self) {
      try await AWSQueryClient(executor: executor, version: "2010-03-31").call("CreateTopic", [("Name", "x")])
    }
    #expect(error?.code == "AccessDenied")
    #expect(error?.description.contains("docs/iam-policy.json") == true)
  }
}

extension SignatureCheckingTests {
  @Test(
    "Given a role assumed through STS, when calling with its session token signed, then moto accepts it, and refuses a forged token"
  )
  func sessionTokenWorks() async throws {
    let context = try await MotoContext.make(Self.moto)
    let iam = context.testerQuery(service: "IAM", signingName: "iam", version: "2010-05-08")
    let sts = context.testerQuery(service: "STS", signingName: "sts", version: "2011-06-15")
    let trust =
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#
    let role = try await iam.call(
      "CreateRole", [("RoleName", "switchboard"), ("AssumeRolePolicyDocument", trust)])
    let roleARN = try #require(role.path("Role", "Arn")?.text)
    let policy = try await iam.call(
      "CreatePolicy",
      [("PolicyName", "switchboard-role"), ("PolicyDocument", try MotoServer.shippedPolicyForMoto())])
    try await iam.call(
      "AttachRolePolicy",
      [("RoleName", "switchboard"), ("PolicyArn", try #require(policy.path("Policy", "Arn")?.text))])
    let assumed = try await sts.call(
      "AssumeRole", [("RoleArn", roleARN), ("RoleSessionName", "switchboard-test")])
    let node = try #require(assumed.child("Credentials"))
    let temporary = AWSCredentials(
      accessKeyID: node.value("AccessKeyId") ?? "", secretAccessKey: node.value("SecretAccessKey") ?? "",
      sessionToken: node.value("SessionToken"))
    #expect(temporary.sessionToken?.isEmpty == false)

    let route53 = Route53Client(
      endpoint: context.url, credentials: StaticCredentialProvider(temporary), retry: MotoContext.testRetry)
    _ = try await route53.listHostedZonesByName()
    let tampered = AWSCredentials(
      accessKeyID: temporary.accessKeyID, secretAccessKey: temporary.secretAccessKey, sessionToken: "forged")
    let error = await #expect(throws: AWSError.self) {
      try await Route53Client(
        endpoint: context.url, credentials: StaticCredentialProvider(tampered), retry: MotoContext.testRetry
      ).listHostedZonesByName()
    }
    #expect(error?.code == "InvalidClientTokenId")
  }
}
