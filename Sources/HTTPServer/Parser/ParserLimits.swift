/// Size limits the parser enforces on every request.
public struct ParserLimits: Sendable {
  /// Bytes of request line plus header fields (431 beyond).
  public var maxHeaderSectionBytes: Int = 16 * 1024
  /// Header fields per request (431 beyond).
  public var maxHeaderCount: Int = 100
  /// Bytes of body after removing chunked framing (413 beyond).
  public var maxBodyBytes: Int = 1024 * 1024
  /// Bytes of one chunk-size line, extensions included (400 beyond).
  public var maxChunkLineBytes: Int = 1024
  public init() {}
}
