import Foundation

/// Reads the error bodies of both protocols (Route53 REST-XML and the query protocol) into `AWSServiceError`.
enum AWSErrorParser {
  static func parse(_ response: AWSHTTPResponse, service: String) -> AWSServiceError {
    let headerID = response.headers["x-amzn-requestid"] ?? response.headers["x-amz-request-id"]
    if let tree = XMLTree.parse(response.body), let error = tree.first(named: "Error") {
      let requestID = tree.first(named: "RequestId")?.text ?? tree.first(named: "RequestID")?.text ?? headerID
      return AWSServiceError(
        service: service, code: error.value("Code") ?? fallbackCode(response.status),
        message: error.value("Message") ?? "", httpStatus: response.status, requestID: requestID)
    }
    // JSON protocols: {"__type": "prefix#Code", "message": "…"}.
    if let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
      let type = object["__type"] as? String
    {
      let code = type.split(separator: "#").last.map(String.init) ?? type
      let message = (object["message"] ?? object["Message"]) as? String ?? ""
      return AWSServiceError(
        service: service, code: code, message: message, httpStatus: response.status, requestID: headerID)
    }
    let snippet = String(decoding: response.body.prefix(200), as: UTF8.self)
      .replacingOccurrences(of: "\n", with: " ")
    return AWSServiceError(
      service: service, code: fallbackCode(response.status), message: snippet, httpStatus: response.status,
      requestID: headerID)
  }

  /// A code for answers without an error body, so retry decisions still work.
  static func fallbackCode(_ status: Int) -> String {
    switch status {
    case 429: "TooManyRequests"
    case 500..<600: "ServiceUnavailable"
    default: "HTTP\(status)"
    }
  }
}
