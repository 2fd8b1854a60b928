import Logging

/// Writes one line per answered request through swift-log: method, target, status, bytes, duration.
public struct AccessLog: ServerObserver {
  let logger: Logger

  public init(logger: Logger = Logger(label: "switchboard.access")) { self.logger = logger }

  public func requestCompleted(_ record: RequestRecord) {
    guard logger.logLevel <= .info else { return }
    logger.info(
      "\(record.remoteAddress) \"\(record.method) \(record.target) \(record.version)\" \(record.status) \(record.bodyBytes) \(Self.milliseconds(record.durationNanoseconds))ms"
    )
  }

  /// `1.234` for 1 234 567 ns, without floating-point formatting.
  static func milliseconds(_ nanoseconds: UInt64) -> String {
    let micros = nanoseconds / 1000
    let fraction = micros % 1000
    let padded = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
    return "\(micros / 1000).\(padded)"
  }
}

/// Fans a request record out to several observers (access log, metrics).
public struct ObserverGroup: ServerObserver {
  let observers: [any ServerObserver]
  public init(_ observers: [any ServerObserver]) { self.observers = observers }
  public func requestCompleted(_ record: RequestRecord) {
    for observer in observers { observer.requestCompleted(record) }
  }
}
