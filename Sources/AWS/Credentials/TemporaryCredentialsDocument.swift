import Foundation

/// The JSON document both the container endpoint and IMDS return.
enum TemporaryCredentialsDocument {
  static func decode(_ data: Data, source: String) throws -> AWSCredentials {
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw AWSError.credentialsUnavailable("\(source) did not return a JSON object")
    }
    if let code = object["Code"] as? String, code != "Success" {
      throw AWSError.credentialsUnavailable("\(source) reported \(code)")
    }
    guard let key = object["AccessKeyId"] as? String, let secret = object["SecretAccessKey"] as? String else {
      throw AWSError.credentialsUnavailable("\(source) returned no AccessKeyId/SecretAccessKey")
    }
    let token = object["Token"] as? String
    var expiration: Date?
    if let text = object["Expiration"] as? String {
      let formatter = ISO8601DateFormatter()
      expiration = formatter.date(from: text)
      if expiration == nil {
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        expiration = formatter.date(from: text)
      }
    }
    return AWSCredentials(
      accessKeyID: key, secretAccessKey: secret, sessionToken: token, expiration: expiration)
  }
}
