import Foundation

/// Signs requests with AWS Signature Version 4 (the Authorization-header form).
///
/// It signs exactly the headers it is given, so the caller decides what goes on the wire
/// (host with port, x-amz-date, x-amz-content-sha256, x-amz-security-token, content-type).
public struct SigV4Signer: Sendable {
  /// The signing name of the service (`route53`, `monitoring`, `sns`, ...).
  public var service: String
  /// The signing region (Route53 always signs for us-east-1).
  public var region: String

  /// A signer for one service and region.
  public init(service: String, region: String) {
    self.service = service
    self.region = region
  }

  /// The parts of one request that SigV4 covers.
  public struct Request: Sendable {
    /// The HTTP method.
    public var method: String
    /// The path as it goes on the wire (already percent-encoded where needed).
    public var path: String
    /// Decoded query parameters, in any order.
    public var query: [(String, String)]
    /// The headers to sign, exactly as sent (names in any case).
    public var headers: [(String, String)]
    /// Hex SHA-256 of the body.
    public var payloadHash: String

    /// The parts of a request to sign.
    public init(
      method: String, path: String, query: [(String, String)] = [], headers: [(String, String)],
      payloadHash: String
    ) {
      self.method = method
      self.path = path
      self.query = query
      self.headers = headers
      self.payloadHash = payloadHash
    }
  }

  /// The `x-amz-date` value for an instant (`yyyyMMdd'T'HHmmss'Z'`, UTC).
  public static func amzDate(_ date: Date) -> String {
    let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
    return String(
      format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
  }

  /// Hex SHA-256 of a body: the `x-amz-content-sha256` value and the canonical request's last line.
  public static func payloadHash(_ body: Data) -> String {
    Hashing.sha256Hex(body)
  }

  /// The canonical request (task 1 of the SigV4 process).
  public func canonicalRequest(_ request: Request) -> String {
    let canonicalURI = canonicalPath(request.path)
    let encoded: [(name: String, value: String)] = request.query.map { pair in
      (name: URIEncoding.encode(pair.0), value: URIEncoding.encode(pair.1))
    }
    let sorted = encoded.sorted { lhs, rhs in
      lhs.name == rhs.name ? lhs.value < rhs.value : lhs.name < rhs.name
    }
    let canonicalQuery = sorted.map { pair in pair.name + "=" + pair.value }.joined(separator: "&")
    let headers = canonicalHeaders(request.headers)
    let headerLines = headers.map { "\($0.name):\($0.value)\n" }.joined()
    let signedHeaders = headers.map(\.name).joined(separator: ";")
    return [
      request.method.uppercased(), canonicalURI, canonicalQuery, headerLines, signedHeaders,
      request.payloadHash,
    ].joined(separator: "\n")
  }

  /// The credential scope: `date/region/service/aws4_request`.
  public func scope(date: Date) -> String {
    "\(Self.amzDate(date).prefix(8))/\(region)/\(service)/aws4_request"
  }

  /// The string to sign (task 2).
  public func stringToSign(_ request: Request, date: Date) -> String {
    [
      "AWS4-HMAC-SHA256", Self.amzDate(date), scope(date: date), Hashing.sha256Hex(canonicalRequest(request)),
    ].joined(separator: "\n")
  }

  /// The hex signature (tasks 3 and 4).
  public func signature(_ request: Request, credentials: AWSCredentials, date: Date) -> String {
    let day = String(Self.amzDate(date).prefix(8))
    var key = Hashing.hmac(key: Data("AWS4\(credentials.secretAccessKey)".utf8), day)
    key = Hashing.hmac(key: key, region)
    key = Hashing.hmac(key: key, service)
    key = Hashing.hmac(key: key, "aws4_request")
    return Hashing.hex(Hashing.hmac(key: key, stringToSign(request, date: date)))
  }

  /// The complete `Authorization` header value.
  public func authorization(_ request: Request, credentials: AWSCredentials, date: Date) -> String {
    let signedHeaders = canonicalHeaders(request.headers).map(\.name).joined(separator: ";")
    return "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope(date: date)), "
      + "SignedHeaders=\(signedHeaders), Signature=\(signature(request, credentials: credentials, date: date))"
  }

  private func canonicalPath(_ path: String) -> String {
    if path.isEmpty { return "/" }
    // Non-S3 services encode each segment of the wire path once more.
    return path.split(separator: "/", omittingEmptySubsequences: false)
      .map { URIEncoding.encode(String($0)) }
      .joined(separator: "/")
  }

  private func canonicalHeaders(_ headers: [(String, String)]) -> [(name: String, value: String)] {
    var merged: [String: [String]] = [:]
    for (name, value) in headers {
      let collapsed = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        .joined(separator: " ")
      merged[name.lowercased(), default: []].append(collapsed)
    }
    return merged.keys.sorted().map { (name: $0, value: merged[$0]!.joined(separator: ",")) }
  }
}
