import Foundation

/// curl as a test client: one request with headers, bounded by `-m 20`, run on a thread of its own (never the
/// cooperative pool or Dispatch's global queues, which a server under test may use).
public enum Curl {
  /// One answer: status, headers (names lowercased), body.
  public struct Answer: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: String
  }

  /// `method` (HEAD as `-I`) to `url` with `headers`.
  public static func request(_ method: String = "GET", _ url: String, headers: [String: String] = [:])
    async throws -> Answer
  {
    var arguments = ["-sS", "-m", "20", "-i"]
    if method == "HEAD" { arguments.append("-I") } else if method != "GET" { arguments += ["-X", method] }
    for (name, value) in headers.sorted(by: { $0.key < $1.key }) { arguments += ["-H", "\(name): \(value)"] }
    arguments.append(url)
    let fixed = arguments
    let output = await withCheckedContinuation {
      (continuation: CheckedContinuation<Result<String, any Error>, Never>) in
      Thread.detachNewThread { continuation.resume(returning: Result { try run(fixed) }) }
    }
    return try parse(try output.get())
  }

  private static func run(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  private static func parse(_ text: String) throws -> Answer {
    guard let headEnd = text.range(of: "\r\n\r\n") else {
      throw HarnessError("curl got no HTTP head: \(text)")
    }
    let lines = text[..<headEnd.lowerBound].components(separatedBy: "\r\n")
    let status = Int(lines[0].split(separator: " ").dropFirst().first ?? "") ?? 0
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
        in: .whitespaces)
    }
    return Answer(status: status, headers: headers, body: String(text[headEnd.upperBound...]))
  }
}
