import AWS
import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A moto_server on a free loopback port with signature checking on, started by the tests.
///
/// `fresh()` resets it and provisions an IAM user that holds the shipped `docs/iam-policy.json`, so every
/// test signs with a real access key that moto verifies.
public actor MotoServer {
  public init() {}

  private var child: ChildProcess?
  public private(set) var port = 0

  /// Base URL of the running server.
  public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

  /// Starts moto on first use; fails (does not skip) when moto_server is not installed.
  public func start() async throws {
    if child != nil { return }
    guard let moto = ChildProcess.which("moto_server") else {
      throw HarnessError(
        "moto_server is not on PATH. Install it with `pip install 'moto[server]'`; the AWS and CLI tests need it."
      )
    }
    let script = try ChildProcess.script("moto_wrapper.py", MotoScripts.motoWrapper)
    port = try freeLoopbackPort()
    let logPath = try ChildProcess.temporaryDirectory("moto") + "/moto.log"
    let process = try ChildProcess(
      executable: "/usr/bin/env", arguments: ["python3", script, moto, String(port)],
      environment: ["INITIAL_NO_AUTH_ACTION_COUNT": "0", "MOTO_ALLOW_NONEXISTENT_REGION": "true"],
      logPath: logPath)
    child = process
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      if let status = try? await Self.request("GET", url.appendingPathComponent("moto-api/data.json")).status,
        status == 200
      {
        return
      }
      guard process.process.isRunning else { throw HarnessError("moto_server exited:\n\(process.log)") }
      try await Task.sleep(nanoseconds: 100_000_000)
    }
    throw HarnessError("moto_server did not answer within 60 s:\n\(process.log)")
  }

  /// Resets all state and returns credentials of two IAM users: `switchboard`, holding the shipped policy,
  /// and `tester`, allowed everything (for setting up and checking what Switchboard did).
  public func fresh() async throws -> (switchboard: AWSCredentials, tester: AWSCredentials) {
    try await start()
    _ = try await Self.request("POST", url.appendingPathComponent("moto-api/reset"))
    // Eight unauthenticated calls: user, policy, attachment and key, for each of the two users.
    _ = try await Self.request(
      "POST", url.appendingPathComponent("moto-api/reset-auth"), body: "8", contentType: "text/plain")
    let switchboard = try await createUser("switchboard", policy: try Self.shippedPolicyForMoto())
    let everything = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
    let tester = try await createUser("tester", policy: everything)
    return (switchboard, tester)
  }

  private func createUser(_ name: String, policy document: String) async throws -> AWSCredentials {
    let iam = iamClient(
      StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIDBOOTSTRAP", secretAccessKey: "x")))
    try await iam.call("CreateUser", [("UserName", name)])
    let policy = try await iam.call("CreatePolicy", [("PolicyName", name), ("PolicyDocument", document)])
    guard let arn = policy.path("Policy", "Arn")?.text else {
      throw HarnessError("CreatePolicy returned no Arn")
    }
    try await iam.call("AttachUserPolicy", [("UserName", name), ("PolicyArn", arn)])
    let key = try await iam.call("CreateAccessKey", [("UserName", name)])
    guard let id = key.path("AccessKey", "AccessKeyId")?.text,
      let secret = key.path("AccessKey", "SecretAccessKey")?.text
    else { throw HarnessError("CreateAccessKey returned no key") }
    return AWSCredentials(accessKeyID: id, secretAccessKey: secret)
  }

  /// An IAM query client against this moto (used for test setup only).
  public func iamClient(_ credentials: any AWSCredentialProvider) -> AWSQueryClient {
    let executor = AWSRequestExecutor(
      endpoint: AWSServiceEndpoint(serviceName: "IAM", signingName: "iam", region: "us-east-1", url: url),
      credentials: credentials, retry: RetryPolicy(maxAttempts: 1))
    return AWSQueryClient(executor: executor, version: "2010-05-08")
  }

  /// The shipped policy as moto can evaluate it: moto checks actions only (every resource is `*` to it, and it
  /// does not know the condition keys), and names CloudWatch actions `monitoring:` as well as `cloudwatch:`.
  public static func shippedPolicyForMoto() throws -> String {
    let data = try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/docs/iam-policy.json"))
    guard var document = try JSONSerialization.jsonObject(with: data) as? [String: Any],
      let statements = document["Statement"] as? [[String: Any]]
    else { throw HarnessError("docs/iam-policy.json is not a policy document") }
    document["Statement"] = statements.map { statement -> [String: Any] in
      var copy = statement
      let actions = (statement["Action"] as? [String]) ?? [(statement["Action"] as? String) ?? ""]
      copy["Action"] =
        actions
        + actions.filter { $0.hasPrefix("cloudwatch:") }.map {
          "monitoring:" + $0.dropFirst("cloudwatch:".count)
        }
      copy["Resource"] = "*"
      copy["Condition"] = nil
      return copy
    }
    return String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
  }

  /// The repository's root directory, found from this file's path (Tests/TestPeers/MotoServer.swift).
  public static let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
  }()

  /// One plain HTTP call (moto's own API, not an AWS action).
  public static func request(
    _ method: String, _ url: URL, body: String = "", contentType: String = "application/json"
  )
    async throws -> (status: Int, body: Data)
  {
    var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: 30)
    request.httpMethod = method
    request.setValue(contentType, forHTTPHeaderField: "Content-Type")
    if method == "POST" { request.httpBody = Data(body.utf8) }
    let (data, response) = try await URLSession.shared.data(for: request)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
  }
}
