import Foundation
import HTTPServer
import Logging

/// Process-wide logging: buffered lines on standard error, level from `SWITCHBOARD_LOG_LEVEL`.
public enum LoggingSetup {
  /// Bootstraps swift-log once and returns the sink to flush before exit.
  @discardableResult
  public static func bootstrap(level: Logger.Level? = nil) -> BufferedLogHandler.Sink {
    let sink = BufferedLogHandler.Sink(fd: 2)
    let configured =
      level ?? EnvironmentLevel.read().flatMap { Logger.Level(rawValue: $0) } ?? .info
    LoggingSystem.bootstrap { label in
      var handler = BufferedLogHandler(label: label, sink: sink)
      handler.logLevel = configured
      return handler
    }
    return sink
  }
}

enum EnvironmentLevel {
  static func read() -> String? {
    ProcessInfo.processInfo.environment["SWITCHBOARD_LOG_LEVEL"]?.lowercased()
  }
}
