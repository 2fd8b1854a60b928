/// An RFC 9457 problem document (`application/problem+json`): the shape of every error response.
public struct ProblemDetails: Sendable, Error {
  /// A URI naming the kind of problem; `about:blank` when the status says it all.
  public var type: String
  public var title: String
  public var status: Status
  /// A sentence a person can act on.
  public var detail: String
  public var instance: String?
  /// Extension members (e.g. the safety rules that refused a request), already JSON-encoded values.
  public var extensions: [(String, JSONValue)]

  public init(
    status: Status, detail: String, type: String = "about:blank", title: String? = nil,
    instance: String? = nil,
    extensions: [(String, JSONValue)] = []
  ) {
    self.type = type
    self.title = title ?? status.reasonPhrase
    self.status = status
    self.detail = detail
    self.instance = instance
    self.extensions = extensions
  }

  /// The problem as a response.
  public var response: Response {
    var members: [(String, JSONValue)] = [
      ("type", .string(type)), ("title", .string(title)), ("status", .number(Double(status.code))),
      ("detail", .string(detail)),
    ]
    if let instance { members.append(("instance", .string(instance))) }
    members.append(contentsOf: extensions)
    return Response(
      status: status, contentType: "application/problem+json",
      bytes: Array(JSONValue.object(members).serialized.utf8))
  }
}

/// A minimal JSON value for documents the server writes itself (problems, directory data).
public indirect enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.serialized == rhs.serialized }

  /// Compact JSON text.
  public var serialized: String {
    var out = ""
    write(to: &out)
    return out
  }

  func write(to out: inout String) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let n):
      if n.rounded() == n, abs(n) < 1e15 { out += String(Int64(n)) } else { out += "\(n)" }
    case .string(let s): JSONValue.writeString(s, to: &out)
    case .array(let items):
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        item.write(to: &out)
      }
      out += "]"
    case .object(let members):
      out += "{"
      for (i, (key, value)) in members.enumerated() {
        if i > 0 { out += "," }
        JSONValue.writeString(key, to: &out)
        out += ":"
        value.write(to: &out)
      }
      out += "}"
    }
  }

  static func writeString(_ s: String, to out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    out += "\""
  }
}
