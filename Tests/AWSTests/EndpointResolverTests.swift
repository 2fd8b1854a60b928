import AWS
import Foundation
import Testing

@Suite("Endpoint resolution as the SDKs do it")
struct EndpointResolverTests {
  private func resolver(_ env: [String: String], config: String? = nil) throws -> AWSEndpointResolver {
    let home = try ChildProcess.temporaryDirectory("endpoints")
    if let config {
      try FileManager.default.createDirectory(atPath: home + "/.aws", withIntermediateDirectories: true)
      try config.write(toFile: home + "/.aws/config", atomically: true, encoding: .utf8)
    }
    return AWSEndpointResolver(location: SharedConfigLocation(environment: env, homeDirectory: home))
  }

  @Test("Given nothing, then the public endpoints are used")
  func defaults() throws {
    let r = try resolver([:])
    #expect(r.url(for: .route53, region: "eu-west-1").absoluteString == "https://route53.amazonaws.com")
    #expect(
      r.url(for: .cloudWatch, region: "eu-west-1").absoluteString
        == "https://monitoring.eu-west-1.amazonaws.com")
    #expect(r.url(for: .sns, region: "us-east-2").absoluteString == "https://sns.us-east-2.amazonaws.com")
  }

  @Test(
    "Given AWS_ENDPOINT_URL and a service-specific variable, then the service-specific one wins for its service"
  )
  func environment() throws {
    let r = try resolver([
      "AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_ENDPOINT_URL_ROUTE_53": "http://127.0.0.1:5001",
      "AWS_ENDPOINT_URL_CLOUDWATCH": "http://127.0.0.1:5002",
    ])
    #expect(r.url(for: .route53, region: "us-east-1").absoluteString == "http://127.0.0.1:5001")
    #expect(r.url(for: .cloudWatch, region: "us-east-1").absoluteString == "http://127.0.0.1:5002")
    #expect(r.url(for: .sns, region: "us-east-1").absoluteString == "http://127.0.0.1:5000")
  }

  @Test("Given a config file with a services section and endpoint_url, then they apply below the environment")
  func configFile() throws {
    let config = """
      [profile local]
      endpoint_url = http://localhost:4566
      services = local-services

      [services local-services]
      route_53 =
        endpoint_url = http://localhost:4567
      """
    let r = try resolver(["AWS_PROFILE": "local"], config: config)
    #expect(r.url(for: .route53, region: "us-east-1").absoluteString == "http://localhost:4567")
    #expect(r.url(for: .cloudWatch, region: "us-east-1").absoluteString == "http://localhost:4566")
    let env = try resolver(
      ["AWS_PROFILE": "local", "AWS_ENDPOINT_URL": "http://127.0.0.1:9"], config: config)
    #expect(env.url(for: .route53, region: "us-east-1").absoluteString == "http://127.0.0.1:9")
    let ignored = try resolver(
      [
        "AWS_PROFILE": "local", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
        "AWS_ENDPOINT_URL": "http://x:1",
      ],
      config: config)
    #expect(ignored.url(for: .route53, region: "us-east-1").absoluteString == "https://route53.amazonaws.com")
  }
}
