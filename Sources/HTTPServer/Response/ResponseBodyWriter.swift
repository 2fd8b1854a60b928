/// Where a streamed response body goes; each write is flushed to the client at once.
///
/// `write` suspends while the client is slower than the producer (backpressure) and throws
/// `ConnectionClosed` once the client has gone, so producers stop.
public protocol ResponseBodyWriter: Sendable {
  func write(_ bytes: [UInt8]) async throws
}

extension ResponseBodyWriter {
  /// Writes the UTF-8 bytes of a string.
  public func write(_ text: String) async throws { try await write(Array(text.utf8)) }
}

/// The client closed the connection (or the server is stopping) while a body was being streamed.
public struct ConnectionClosed: Error, Sendable, CustomStringConvertible {
  public init() {}
  public var description: String { "The client connection is closed." }
}
