import AWS
import FailoverCore
import Foundation
import Testing

/// A fresh moto, a copy of an example whose store lives in a temporary directory, and the clients.
struct ExampleSetup {
  var environment: [String: String]
  var configPath: String
  var storePath: String
  var url: URL
  var switchboard: AWSCredentials
  var tester: Route53Client
  /// The all-powerful tester, for other clients (CloudWatch in a given region).
  var testerCredentials: AWSCredentials

  /// A CloudWatch client signed for a region, as the tester.
  func cloudWatch(region: String) -> CloudWatchClient {
    CloudWatchClient(
      endpoint: url, region: region, credentials: StaticCredentialProvider(testerCredentials),
      retry: AWS.RetryPolicy(maxAttempts: 1))
  }

  func run(_ arguments: [String]) async throws -> CommandResult {
    try await SwitchboardBinary.run(arguments, environment: environment)
  }

  /// Every record set of a name in the zone (all types, all set identifiers).
  func listAll(_ name: String, zoneID: String? = nil) async throws -> Set<ListedRecordSet> {
    let zone: String
    if let zoneID {
      zone = zoneID
    } else {
      zone = try #require(try await tester.hostedZone(forDomain: "example.com")).id
    }
    let all = try await tester.listResourceRecordSets(zoneID: zone)
    return Set(
      all.filter { $0.name.lowercased() == name || $0.name.lowercased() == name + "." }.map(
        ListedRecordSet.init))
  }

  /// The same moto and store with the configuration edited (a new file next to the first).
  static func reconfigure(_ setup: ExampleSetup, edit: (String) -> String) async throws -> ExampleSetup {
    var copy = setup
    let text = try String(contentsOfFile: setup.configPath, encoding: .utf8)
    copy.configPath = setup.configPath.replacingOccurrences(
      of: ".yaml", with: "-\(UUID().uuidString.prefix(8)).yaml")
    try edit(text).write(toFile: copy.configPath, atomically: true, encoding: .utf8)
    return copy
  }

  /// A fresh moto and a copy of `examples/<example>` whose store lives in a temporary directory.
  static func make(_ moto: MotoServer, example: String, edit: (String) -> String = { $0 }) async throws
    -> ExampleSetup
  {
    let users = try await moto.fresh()
    let url = await moto.url
    let directory = try ChildProcess.temporaryDirectory("failover-records")
    let storePath = directory + "/switchboard.sqlite"
    var text = try String(
      contentsOfFile: SwitchboardBinary.repositoryRoot + "/examples/" + example, encoding: .utf8)
    text = text.replacingOccurrences(
      of: #"path: data/[a-z-]+\.sqlite"#, with: "path: \(storePath)", options: .regularExpression)
    let configPath = directory + "/" + example
    try edit(text).write(toFile: configPath, atomically: true, encoding: .utf8)
    let environment = try SwitchboardBinary.isolatedEnvironment([
      "AWS_ENDPOINT_URL": url.absoluteString, "AWS_ACCESS_KEY_ID": users.switchboard.accessKeyID,
      "AWS_SECRET_ACCESS_KEY": users.switchboard.secretAccessKey,
      "SWITCHBOARD_PUBLIC_URL": "https://switchboard.example.net:8443",
    ])
    let tester = Route53Client(
      endpoint: url, credentials: StaticCredentialProvider(users.tester),
      retry: AWS.RetryPolicy(maxAttempts: 1))
    return ExampleSetup(
      environment: environment, configPath: configPath, storePath: storePath, url: url,
      switchboard: users.switchboard, tester: tester, testerCredentials: users.tester)
  }
}

/// One record set as compared: name, set identifier, weight or role, values, whether a health check is attached.
struct ListedRecordSet: Hashable, CustomStringConvertible {
  var name: String
  var setIdentifier: String?
  var routing: String
  var values: [String]
  var hasHealthCheck: Bool

  init(_ record: DNSRecord) {
    name = record.name.hasSuffix(".") ? String(record.name.dropLast()) : record.name
    setIdentifier = record.setIdentifier
    switch record.routing {
    case .simple: routing = "simple"
    case .weighted(let weight, _): routing = "weight \(weight)"
    case .failover(let role, _): routing = role.rawValue
    }
    values = record.values.sorted()
    hasHealthCheck = record.healthCheckID != nil
  }

  init(_ name: String, _ setIdentifier: String?, _ routing: String, _ values: [String], check: Bool) {
    self.name = name
    self.setIdentifier = setIdentifier
    self.routing = routing
    self.values = values
    hasHealthCheck = check
  }

  var description: String {
    "\(name) [\(setIdentifier ?? "-")] \(routing) \(values.joined(separator: ","))"
      + (hasHealthCheck ? " +hc" : "")
  }
}
