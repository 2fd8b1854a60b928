import ArgumentParser
import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Where the API is and which token to present: `--url`/`SWITCHBOARD_URL`, `--token`/`SWITCHBOARD_TOKEN`
/// (or `SWITCHBOARD_ADMIN_TOKEN`).
struct APIOptions: ParsableArguments {
  @Option(help: "The server's base URL (default: SWITCHBOARD_URL, else http://127.0.0.1:8080).")
  var url: String?

  @Option(help: "A bearer token (default: SWITCHBOARD_TOKEN, else SWITCHBOARD_ADMIN_TOKEN).")
  var token: String?

  func client() throws -> APIClient {
    let environment = ProcessInfo.processInfo.environment
    let text = url ?? environment["SWITCHBOARD_URL"] ?? "http://127.0.0.1:8080"
    guard let base = URL(string: text), base.scheme == "http" || base.scheme == "https", base.host != nil
    else {
      throw ValidationError("--url \(text) is not an http(s) URL.")
    }
    let secret = token ?? environment["SWITCHBOARD_TOKEN"] ?? environment["SWITCHBOARD_ADMIN_TOKEN"]
    return APIClient(base: base, token: secret)
  }
}

/// A small client of Switchboard's REST API for the command line.
struct APIClient {
  var base: URL
  var token: String?

  /// An answer: status and JSON body.
  struct Answer {
    var status: Int
    var body: Data
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
  }

  /// Sends a request; POSTs carry an Idempotency-Key so the retries after a network error change nothing.
  func send(_ method: String, _ path: String, json: [String: Any]? = nil) async throws -> Answer {
    guard let url = URL(string: path, relativeTo: base) else {
      throw CLIError("\(path) is not a valid path.")
    }
    var request = URLRequest(url: url, timeoutInterval: 30)
    request.httpMethod = method
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    if let json {
      request.httpBody = try JSONSerialization.data(withJSONObject: json)
      request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    if method == "POST" { request.setValue(UUID().uuidString, forHTTPHeaderField: "Idempotency-Key") }
    var lastError: (any Error)?
    for attempt in 0..<3 {
      do {
        let (data, response) = try await URLSession.shared.data(for: request)
        return Answer(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data)
      } catch {
        lastError = error
        try await Task.sleep(for: .milliseconds(200 << attempt))
      }
    }
    throw CLIError(
      "\(base.absoluteString) does not answer: \(lastError.map { "\($0.localizedDescription)" } ?? "")")
  }

  /// The answer's JSON when it is a success; otherwise the problem's detail as the error.
  func expect(_ answer: Answer, _ statuses: Set<Int>) throws -> [String: Any] {
    guard statuses.contains(answer.status) else {
      let problem = answer.json
      let detail = problem["detail"] as? String ?? String(decoding: answer.body.prefix(500), as: UTF8.self)
      var sentence = "HTTP \(answer.status): \(detail)"
      if let refused = problem["refused_by"] as? [String] {
        sentence += " (refused by \(refused.joined(separator: ", ")))"
      }
      throw CLIError(sentence)
    }
    return answer.json
  }
}

/// A failure of a command, as one sentence.
struct CLIError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
