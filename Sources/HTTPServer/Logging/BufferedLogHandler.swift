import Dispatch
import Glibc
import Logging
import Synchronization

/// A swift-log handler that appends formatted lines to a buffer written to a file descriptor every 100 ms
/// or when 64 KiB have gathered (like nginx's `access_log buffer=`), so logging a request costs no syscall.
public struct BufferedLogHandler: LogHandler {
  /// The shared sink; one per output descriptor.
  public final class Sink: @unchecked Sendable {
    // The timer is set once in init and only cancelled in deinit; the buffers are behind mutexes.
    let fd: Int32
    private let buffer = Mutex<[UInt8]>([])
    private let timer: DispatchSourceTimer
    private let second = Mutex<(Int, String)>((-1, ""))

    public init(fd: Int32 = 2, flushInterval: Duration = .milliseconds(100)) {
      self.fd = fd
      timer = DispatchSource.makeTimerSource(
        queue: DispatchQueue(label: "switchboard.log", target: .global()))
      timer.schedule(deadline: .now() + .milliseconds(100), repeating: .milliseconds(100))
      timer.setEventHandler { [weak self] in self?.flush() }
      timer.resume()
    }

    deinit { timer.cancel() }

    /// `2026-11-21T23:59:01Z`, formatted once per second.
    func timestamp() -> String {
      let now = time(nil)
      return second.withLock { cached in
        if cached.0 != now {
          var t = now
          var parts = tm()
          gmtime_r(&t, &parts)
          func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
          cached = (
            now,
            "\(1900 + parts.tm_year)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
          )
        }
        return cached.1
      }
    }

    /// Appends `TIMESTAMP LEVEL LABEL: MESSAGE EXTRA\n` straight into the buffer (no intermediate string).
    func append(level: Logger.Level, label: String, message: String, extra: String) {
      let stamp = timestamp()
      let full = buffer.withLock { buffer -> Bool in
        buffer.append(contentsOf: stamp.utf8)
        buffer.append(0x20)
        buffer.append(contentsOf: level.rawValue.utf8)
        buffer.append(0x20)
        buffer.append(contentsOf: label.utf8)
        buffer.append(0x3A)
        buffer.append(0x20)
        buffer.append(contentsOf: message.utf8)
        buffer.append(contentsOf: extra.utf8)
        buffer.append(0x0A)
        return buffer.count >= 64 * 1024
      }
      if full { flush() }
    }

    /// Writes everything gathered so far.
    public func flush() {
      let pending = buffer.withLock { buffer -> [UInt8] in
        let taken = buffer
        buffer.removeAll(keepingCapacity: true)
        return taken
      }
      guard !pending.isEmpty else { return }
      pending.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
          let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
          if n < 0, errno == EINTR { continue }
          if n <= 0 { return }
          offset += n
        }
      }
    }
  }

  let label: String
  let sink: Sink
  public var logLevel: Logger.Level = .info
  public var metadata: Logger.Metadata = [:]
  public var metadataProvider: Logger.MetadataProvider?

  public init(label: String, sink: Sink) {
    self.label = label
    self.sink = sink
  }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  public func log(event: LogEvent) {
    var extra = ""
    if !metadata.isEmpty || !(event.metadata?.isEmpty ?? true) {
      let merged = metadata.merging(event.metadata ?? [:]) { $1 }
      for key in merged.keys.sorted() { extra += " \(key)=\(merged[key]!)" }
    }
    sink.append(level: event.level, label: label, message: event.message.description, extra: extra)
    if event.level >= .error { sink.flush() }
  }
}
