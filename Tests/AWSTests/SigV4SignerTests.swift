import AWS
import Foundation
import Testing

@Suite("SigV4 signer")
struct SigV4SignerTests {
  /// One signing case: what goes into the signer, and (for the published suite) the expected header.
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var method: String
    var host: String
    var path: String
    var query: [(String, String)]
    var headers: [(String, String)]
    var body: String
    var service: String
    var region: String
    var credentials: AWSCredentials
    var date: Date
    var expected: String?

    var testDescription: String { name }

    var request: SigV4Signer.Request {
      SigV4Signer.Request(
        method: method, path: path, query: query, headers: headers, payloadHash: sha256(body))
    }

    var url: String {
      "https://\(host)\(path)" + (query.isEmpty ? "" : "?" + URIEncoding.formEncode(query))
    }
  }

  static let suiteCredentials = AWSCredentials(
    accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
  /// 20150830T123600Z, the suite's instant.
  static let suiteDate = Date(timeIntervalSince1970: 1_440_938_160)
  static let host = ("Host", "example.amazonaws.com")
  static let stamp = ("X-Amz-Date", "20150830T123600Z")

  static func suite(
    _ name: String, _ method: String, query: [(String, String)] = [], headers: [(String, String)] = [],
    body: String = "", _ signature: String, signed: String = "host;x-amz-date"
  ) -> Case {
    Case(
      name: name, method: method, host: "example.amazonaws.com", path: "/", query: query,
      headers: headers + [host, stamp], body: body, service: "service", region: "us-east-1",
      credentials: suiteCredentials, date: suiteDate,
      expected: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        + "SignedHeaders=\(signed), Signature=\(signature)")
  }

  /// Cases from the published aws-sig-v4-test-suite (AKIDEXAMPLE, 20150830T123600Z, us-east-1, service).
  static let publishedSuite: [Case] = [
    suite("get-vanilla", "GET", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
    suite("post-vanilla", "POST", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
    suite(
      "get-vanilla-query-order-key-case", "GET", query: [("Param2", "value2"), ("Param1", "value1")],
      "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
    suite(
      "post-vanilla-query", "POST", query: [("Param1", "value1")],
      "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"),
    suite(
      "post-header-key-case", "POST", headers: [("MY-HEADER1", "value1")],
      "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c", signed: "host;my-header1;x-amz-date"
    ),
    suite(
      "post-x-www-form-urlencoded", "POST", headers: [("Content-Type", "application/x-www-form-urlencoded")],
      body: "Param1=value1", "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
      signed: "content-type;host;x-amz-date"),
  ]

  /// Requests shaped like Switchboard's own, with what the suite does not cover: ports, session tokens,
  /// x-amz-content-sha256, reserved characters in query values, UTF-8 bodies.
  static let switchboardShapes: [Case] = {
    let credentials = AWSCredentials(
      accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      sessionToken: "FwoGZXIvYXdzEJr//////////wEaDExampleToken+/=")
    let date = Date(timeIntervalSince1970: 1_763_683_200)
    let amzDate = SigV4Signer.amzDate(date)
    func headers(_ host: String, _ body: String, _ type: String) -> [(String, String)] {
      [
        ("Content-Type", type), ("Host", host), ("X-Amz-Date", amzDate),
        ("X-Amz-Content-Sha256", sha256(body)),
        ("X-Amz-Security-Token", credentials.sessionToken!),
      ]
    }
    let form =
      "Action=PutMetricData&Version=2010-08-01&Namespace=Switchboard&MetricData.member.1.MetricName="
      + URIEncoding.encode("Probe latency (ms) é/ü") + "&MetricData.member.1.Value=1.5"
    return [
      Case(
        name: "route53 list rrsets with port and reserved characters", method: "GET", host: "127.0.0.1:4566",
        path: "/2013-04-01/hostedzone/Z123/rrset",
        query: [
          ("name", "*.api.example.com"), ("type", "A"), ("identifier", "a b+c/d~e"), ("maxitems", "2"),
        ],
        headers: headers("127.0.0.1:4566", "", "application/xml"), body: "", service: "route53",
        region: "us-east-1", credentials: credentials, date: date, expected: nil),
      Case(
        name: "route53 change batch XML body", method: "POST", host: "route53.amazonaws.com",
        path: "/2013-04-01/hostedzone/Z123/rrset", query: [],
        headers: headers(
          "route53.amazonaws.com", "<ChangeResourceRecordSetsRequest>&amp;</ChangeResourceRecordSetsRequest>",
          "application/xml"),
        body: "<ChangeResourceRecordSetsRequest>&amp;</ChangeResourceRecordSetsRequest>", service: "route53",
        region: "us-east-1", credentials: credentials, date: date, expected: nil),
      Case(
        name: "cloudwatch query protocol with UTF-8", method: "POST",
        host: "monitoring.eu-west-1.amazonaws.com",
        path: "/", query: [],
        headers: headers(
          "monitoring.eu-west-1.amazonaws.com", form, "application/x-www-form-urlencoded; charset=utf-8"),
        body: form, service: "monitoring", region: "eu-west-1", credentials: credentials, date: date,
        expected: nil),
    ]
  }()

  @Test("Published test-suite vectors produce the published Authorization headers", arguments: publishedSuite)
  func publishedVectors(_ vector: Case) {
    let signer = SigV4Signer(service: vector.service, region: vector.region)
    #expect(
      signer.authorization(vector.request, credentials: vector.credentials, date: vector.date)
        == vector.expected)
  }

  @Test(
    "Given the suite's get-vanilla request, then the canonical request and string to sign match the suite")
  func canonicalForms() {
    let vector = Self.publishedSuite[0]
    let signer = SigV4Signer(service: "service", region: "us-east-1")
    #expect(
      signer.canonicalRequest(vector.request)
        == "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
        + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(
      signer.stringToSign(vector.request, date: vector.date)
        == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
        + "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63")
  }

  @Test(
    "Given every case, when botocore signs the same request, then both Authorization headers are identical")
  func crossCheckWithBotocore() throws {
    let cases = Self.publishedSuite + Self.switchboardShapes
    let input = cases.map { c -> [String: Any] in
      var object: [String: Any] = [
        "method": c.method, "url": c.url, "headers": c.headers.map { [$0.0, $0.1] }, "body": c.body,
        "service": c.service, "region": c.region, "accessKey": c.credentials.accessKeyID,
        "secretKey": c.credentials.secretAccessKey, "amzDate": SigV4Signer.amzDate(c.date),
      ]
      if let token = c.credentials.sessionToken { object["token"] = token }
      return object
    }
    let botocore = try runPython(
      TestScripts.botocoreSigner, stdin: try JSONSerialization.data(withJSONObject: input))
    let expected = try #require(try JSONSerialization.jsonObject(with: botocore) as? [String])
    #expect(expected.count == cases.count)
    for (c, theirs) in zip(cases, expected) {
      let ours = SigV4Signer(service: c.service, region: c.region)
        .authorization(c.request, credentials: c.credentials, date: c.date)
      #expect(ours == theirs, "\(c.name)")
      if let published = c.expected { #expect(theirs == published, "botocore vs suite: \(c.name)") }
    }
  }

  @Test("Given temporary credentials, when printed, then neither the secret nor the token appears")
  func credentialsAreRedacted() {
    let credentials = AWSCredentials(
      accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      sessionToken: "TOKEN123")
    for text in [
      credentials.description, String(describing: credentials), "\(credentials)",
      String(reflecting: credentials),
    ] {
      #expect(!text.contains("wJalrXUtnFEMI"))
      #expect(!text.contains("TOKEN123"))
      #expect(text.contains("AKIDEXAMPLE"))
    }
  }

  @Test("RFC 3986 encoding keeps only the unreserved set")
  func uriEncoding() {
    #expect(URIEncoding.encode("aZ09-_.~") == "aZ09-_.~")
    #expect(URIEncoding.encode("a b+c/d=e&f*") == "a%20b%2Bc%2Fd%3De%26f%2A")
    #expect(URIEncoding.encode("/2013-04-01/x y", keepSlash: true) == "/2013-04-01/x%20y")
    #expect(URIEncoding.encode("é") == "%C3%A9")
  }
}

func sha256(_ text: String) -> String {
  SigV4Signer.payloadHash(Data(text.utf8))
}
