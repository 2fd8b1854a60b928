/// A listen address: `127.0.0.1:8080`, `[::1]:8080`, `localhost:0` (port 0 picks a free port).
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
  public var host: String
  public var port: Int

  public init(host: String, port: Int) {
    self.host = host
    self.port = port
  }

  /// Parses `HOST:PORT`, with IPv6 hosts in brackets; an empty host means every IPv4 interface.
  public init(parsing text: String) throws(AddressError) {
    let host: Substring
    let portText: Substring
    if text.hasPrefix("[") {
      guard let close = text.firstIndex(of: "]") else { throw AddressError("'\(text)' has '[' without ']'.") }
      host = text[text.index(after: text.startIndex)..<close]
      let after = text[text.index(after: close)...]
      guard after.hasPrefix(":") else { throw AddressError("'\(text)' must end in :PORT.") }
      portText = after.dropFirst()
    } else {
      guard let colon = text.lastIndex(of: ":") else { throw AddressError("'\(text)' must be HOST:PORT.") }
      host = text[..<colon]
      if host.contains(":") { throw AddressError("Put IPv6 addresses in brackets: [\(host)]:PORT.") }
      portText = text[text.index(after: colon)...]
    }
    guard let port = Int(portText), (0...65535).contains(port) else {
      throw AddressError("'\(portText)' in '\(text)' is not a port number (0-65535).")
    }
    self.host = host.isEmpty ? "0.0.0.0" : String(host)
    self.port = port
  }

  public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A listen address that cannot be parsed or bound.
public struct AddressError: Error, Sendable, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}
