/// The parts of an http:// or https:// probe URL the prober needs: scheme, host, port and request target.
public struct ProbeURL: Sendable, Hashable {
  /// `http` or `https`.
  public var scheme: String
  /// Host name or IP address, without brackets.
  public var host: String
  /// TCP port (80 or 443 unless given).
  public var port: Int
  /// Path and query, e.g. `/health?deep=1`.
  public var target: String

  /// Parses a URL; nil when it is not http(s)://HOST[:PORT][/PATH].
  public init?(_ text: String) {
    let lowered = text.lowercased()
    let rest: Substring
    if lowered.hasPrefix("http://") {
      scheme = "http"
      rest = text.dropFirst(7)
    } else if lowered.hasPrefix("https://") {
      scheme = "https"
      rest = text.dropFirst(8)
    } else {
      return nil
    }
    let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
    var authority = rest[..<authorityEnd]
    if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
    var path = String(rest[authorityEnd...])
    if let hash = path.firstIndex(of: "#") { path = String(path[..<hash]) }
    if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
    target = path
    let defaultPort = scheme == "https" ? 443 : 80
    if authority.hasPrefix("[") {
      guard let close = authority.firstIndex(of: "]") else { return nil }
      host = String(authority[authority.index(after: authority.startIndex)..<close])
      let after = authority[authority.index(after: close)...]
      if after.isEmpty {
        port = defaultPort
      } else {
        guard after.hasPrefix(":"), let value = Int(after.dropFirst()) else { return nil }
        port = value
      }
    } else if let colon = authority.lastIndex(of: ":") {
      host = String(authority[..<colon])
      guard let value = Int(authority[authority.index(after: colon)...]) else { return nil }
      port = value
    } else {
      host = String(authority)
      port = defaultPort
    }
    guard !host.isEmpty, (1...65535).contains(port) else { return nil }
  }

  /// The Host header value.
  var hostHeader: String {
    let bracketed = host.contains(":") ? "[\(host)]" : host
    let isDefault = (scheme == "http" && port == 80) || (scheme == "https" && port == 443)
    return isDefault ? bracketed : "\(bracketed):\(port)"
  }
}
