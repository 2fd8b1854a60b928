import Dispatch
import Foundation

/// Turns process signals (SIGTERM, SIGINT, SIGHUP) into callbacks on a queue, instead of default handling.
public final class SignalWatcher: @unchecked Sendable {
  private var sources: [DispatchSourceSignal] = []
  private let queue = DispatchQueue(label: "switchboard.signals", target: .global())

  public init() {}

  /// Calls `handler` every time `signal` arrives.
  public func on(_ signalNumber: Int32, _ handler: @escaping @Sendable () -> Void) {
    signal(signalNumber, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
    source.setEventHandler(handler: handler)
    source.resume()
    sources.append(source)
  }

  deinit {
    for source in sources { source.cancel() }
  }
}
