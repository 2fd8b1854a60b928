import AWS
import FailoverCore
import Foundation
import Testing

@Suite("Credential providers and chain")
struct CredentialProviderTests {
  private func home(credentials: String? = nil, config: String? = nil) throws -> String {
    let home = try ChildProcess.temporaryDirectory("home")
    try FileManager.default.createDirectory(atPath: home + "/.aws", withIntermediateDirectories: true)
    if let credentials {
      try credentials.write(toFile: home + "/.aws/credentials", atomically: true, encoding: .utf8)
    }
    if let config { try config.write(toFile: home + "/.aws/config", atomically: true, encoding: .utf8) }
    return home
  }

  private static let sharedCredentials = """
    [default]
    aws_access_key_id = AKIDDEFAULT
    aws_secret_access_key = default-secret

    [prod]
    aws_access_key_id=AKIDPROD
    aws_secret_access_key=prod-secret
    aws_session_token = prod-token
    """

  private static let sharedConfig = """
    [default]
    region = eu-west-1

    [profile dev]
    region = us-west-2
    aws_access_key_id = AKIDDEVCONFIG
    aws_secret_access_key = dev-secret
    """

  @Test(
    "Given both keys in the environment, then they are used; given one, then the reason names the variables only"
  )
  func environment() async throws {
    let provider = EnvironmentCredentialProvider(environment: [
      "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token",
    ])
    let credentials = try await provider.credentials()
    #expect(
      credentials
        == AWSCredentials(accessKeyID: "AKIDENV", secretAccessKey: "env-secret", sessionToken: "env-token"))

    let partial = EnvironmentCredentialProvider(environment: ["AWS_SECRET_ACCESS_KEY": "lonely-secret"])
    let error = await #expect(throws: AWSError.self) { try await partial.credentials() }
    #expect(error?.description.contains("AWS_ACCESS_KEY_ID") == true)
    #expect(error?.description.contains("lonely-secret") == false)
  }

  @Test(
    "Given shared files, when AWS_PROFILE names a profile, then that profile's keys and the config region apply"
  )
  func sharedFiles() async throws {
    let home = try home(credentials: Self.sharedCredentials, config: Self.sharedConfig)
    func location(_ env: [String: String]) -> SharedConfigLocation {
      SharedConfigLocation(environment: env, homeDirectory: home)
    }
    #expect(
      try await ProfileCredentialProvider(location: location([:])).credentials().accessKeyID == "AKIDDEFAULT")
    let prod = try await ProfileCredentialProvider(location: location(["AWS_PROFILE": "prod"])).credentials()
    #expect(
      prod
        == AWSCredentials(accessKeyID: "AKIDPROD", secretAccessKey: "prod-secret", sessionToken: "prod-token")
    )
    let dev = try await ProfileCredentialProvider(location: location(["AWS_PROFILE": "dev"])).credentials()
    #expect(dev.accessKeyID == "AKIDDEVCONFIG")
    #expect(location([:]).region == "eu-west-1")
    #expect(location(["AWS_PROFILE": "dev"]).region == "us-west-2")
    #expect(location(["AWS_PROFILE": "dev", "AWS_REGION": "ap-south-1"]).region == "ap-south-1")

    let missing = await #expect(throws: AWSError.self) {
      try await ProfileCredentialProvider(location: location(["AWS_PROFILE": "nope"])).credentials()
    }
    #expect(missing?.description.contains("profile \"nope\"") == true)
    for secret in ["default-secret", "prod-secret", "dev-secret"] {
      #expect(missing?.description.contains(secret) == false)
    }
  }

  @Test("Given AWS_SHARED_CREDENTIALS_FILE, then that file is read instead of ~/.aws/credentials")
  func credentialsFileOverride() async throws {
    let home = try home(credentials: Self.sharedCredentials)
    let other = try ChildProcess.temporaryDirectory("other") + "/creds"
    try "[default]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = s\n".write(
      toFile: other, atomically: true, encoding: .utf8)
    let location = SharedConfigLocation(
      environment: ["AWS_SHARED_CREDENTIALS_FILE": other], homeDirectory: home)
    #expect(try await ProfileCredentialProvider(location: location).credentials().accessKeyID == "AKIDOTHER")
  }

  @Test("Given every source, then the chain prefers explicit, then environment, then shared files")
  func chainOrder() async throws {
    let home = try home(credentials: Self.sharedCredentials)
    let env = [
      "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret",
      "AWS_EC2_METADATA_DISABLED": "true",
    ]
    let explicit = AWSCredentials(accessKeyID: "AKIDEXPLICIT", secretAccessKey: "x")

    let withExplicit = CredentialChain.standard(
      explicit: explicit, location: SharedConfigLocation(environment: env, homeDirectory: home))
    #expect(try await withExplicit.credentials().accessKeyID == "AKIDEXPLICIT")
    let withEnv = CredentialChain.standard(
      location: SharedConfigLocation(environment: env, homeDirectory: home))
    #expect(try await withEnv.credentials().accessKeyID == "AKIDENV")
    let filesOnly = CredentialChain.standard(
      location: SharedConfigLocation(environment: ["AWS_EC2_METADATA_DISABLED": "true"], homeDirectory: home))
    #expect(try await filesOnly.credentials().accessKeyID == "AKIDDEFAULT")
  }

  @Test("Given nothing configured, then the chain's error lists each source's reason and no secret")
  func chainFailure() async throws {
    let home = try home()
    let chain = CredentialChain.standard(
      location: SharedConfigLocation(
        environment: ["AWS_SECRET_ACCESS_KEY": "dangling-secret", "AWS_EC2_METADATA_DISABLED": "true"],
        homeDirectory: home))
    let error = await #expect(throws: AWSError.self) { try await chain.credentials() }
    let text = error?.description ?? ""
    #expect(text.contains("environment:"))
    #expect(text.contains("shared files:"))
    #expect(text.contains("container:"))
    #expect(text.contains("instance metadata:"))
    #expect(!text.contains("dangling-secret"))
  }

  @Test(
    "Given an ECS credentials endpoint with an authorization token, then temporary credentials come from it")
  func containerCredentials() async throws {
    let server = try await CredentialsServer()
    defer { server.stop() }
    let env = [
      "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.base + "/ecs/credentials",
      "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ecs-auth-token",
    ]
    let credentials = try await ContainerCredentialProvider(environment: env).credentials()
    #expect(credentials.accessKeyID.hasPrefix("ASIAECS"))
    #expect(credentials.sessionToken?.hasPrefix("token-") == true)
    #expect(credentials.expiration.map { $0 > Date() } == true)

    let tokenFile = try ChildProcess.temporaryDirectory("token") + "/token"
    try "ecs-auth-token\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
    let fromFile = try await ContainerCredentialProvider(environment: [
      "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.base + "/ecs/credentials",
      "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
    ]).credentials()
    #expect(fromFile.accessKeyID.hasPrefix("ASIAECS"))

    var wrong = env
    wrong["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "not-the-token"
    let error = await #expect(throws: AWSError.self) {
      try await ContainerCredentialProvider(environment: wrong).credentials()
    }
    #expect(error?.description.contains("HTTP 401") == true)
    #expect(error?.description.contains("not-the-token") == false)
  }

  @Test(
    "Given an IMDSv2 endpoint, then the provider takes a session token, finds the role and reads its credentials"
  )
  func instanceMetadata() async throws {
    let server = try await CredentialsServer()
    defer { server.stop() }
    let credentials = try await InstanceMetadataCredentialProvider(
      environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.base]
    ).credentials()
    #expect(credentials.accessKeyID.hasPrefix("ASIAIMDS"))
    #expect(credentials.expiration != nil)

    let disabled = await #expect(throws: AWSError.self) {
      try await InstanceMetadataCredentialProvider(
        environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.base, "AWS_EC2_METADATA_DISABLED": "true"]
      ).credentials()
    }
    #expect(disabled?.description.contains("disabled") == true)
  }

  @Test(
    "Given temporary credentials, when time nears their expiry, then the chain fetches new ones before it")
  func refreshBeforeExpiry() async throws {
    let server = try await CredentialsServer()
    defer { server.stop() }
    let clock = ManualClock()
    let env = [
      "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.base + "/ecs/credentials",
      "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ecs-auth-token",
    ]
    let chain = CredentialChain(
      [("container", ContainerCredentialProvider(environment: env))], clock: clock, refreshMargin: 300)

    let first = try await chain.credentials()
    let cached = try await chain.credentials()
    #expect(cached.accessKeyID == first.accessKeyID)

    // 56 minutes later: within five minutes of the one-hour expiry.
    clock.advance(by: 56 * 60)
    let refreshed = try await chain.credentials()
    #expect(refreshed.accessKeyID != first.accessKeyID)
  }

  @Test("Given many concurrent callers and an empty cache, then the chain fetches credentials once")
  func concurrentCallersShareOneFetch() async throws {
    let server = try await CredentialsServer()
    defer { server.stop() }
    let chain = CredentialChain([
      (
        "container",
        ContainerCredentialProvider(environment: [
          "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.base + "/ecs/credentials",
          "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ecs-auth-token",
        ])
      )
    ])

    let keys = try await withThrowingTaskGroup(of: String.self) { group in
      for _ in 0..<20 { group.addTask { try await chain.credentials().accessKeyID } }
      return try await group.reduce(into: Set<String>()) { $0.insert($1) }
    }

    #expect(keys == ["ASIAECS1"])
  }
}
