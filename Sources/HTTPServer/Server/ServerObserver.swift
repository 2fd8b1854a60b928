/// One answered request, as the access log and metrics see it.
public struct RequestRecord: Sendable {
  public var method: Method
  /// The request-target as sent.
  public var target: String
  /// The matched route pattern (`/api/v1/services/{id}`), or nil when no route matched.
  public var routePattern: String?
  public var status: Int
  /// Body bytes sent (0 for HEAD and 304).
  public var bodyBytes: Int
  public var durationNanoseconds: UInt64
  public var remoteAddress: String
  public var version: HTTPVersion
}

/// Receives a record of every answered request (access log, metrics).
public protocol ServerObserver: Sendable {
  func requestCompleted(_ record: RequestRecord)
}
