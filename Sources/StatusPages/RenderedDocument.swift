import Switchboard

/// A document rendered once and served many times: its bytes and its strong entity tag.
public struct RenderedDocument: Sendable, Hashable {
  /// The JSON bytes.
  public let bytes: [UInt8]
  /// The quoted strong ETag of `bytes`.
  public let etag: String

  /// The document for `bytes`, tagged.
  public init(_ bytes: [UInt8]) {
    self.bytes = bytes
    etag = "\"\(ETag.of(bytes))\""
  }
}

/// The three status documents of one render.
public struct RenderedStatus: Sendable, Hashable {
  /// `/api/v1/status`.
  public var status: RenderedDocument
  /// `/api/v2/status.json`.
  public var statuspageStatus: RenderedDocument
  /// `/api/v2/summary.json`.
  public var statuspageSummary: RenderedDocument

  /// The document served at `kind`'s path.
  public func document(_ kind: StatusDocumentKind) -> RenderedDocument {
    switch kind {
    case .status: status
    case .statuspageStatus: statuspageStatus
    case .statuspageSummary: statuspageSummary
    }
  }
}

/// The status documents and their paths.
public enum StatusDocumentKind: String, Sendable, Hashable, CaseIterable {
  case status = "/api/v1/status"
  case statuspageStatus = "/api/v2/status.json"
  case statuspageSummary = "/api/v2/summary.json"

  /// The path it is served at.
  public var path: String { rawValue }
}
