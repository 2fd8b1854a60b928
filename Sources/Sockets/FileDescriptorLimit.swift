import Glibc

/// The process's limit on open file descriptors (`RLIMIT_NOFILE`): every probe and every client holds one.
package enum FileDescriptorLimit {
  /// The soft and hard limits now; `nil` if they cannot be read.
  package static func current() -> (soft: UInt64, hard: UInt64)? {
    var limit = rlimit()
    guard getrlimit(resource, &limit) == 0 else { return nil }
    return (UInt64(limit.rlim_cur), UInt64(limit.rlim_max))
  }

  /// Raises the soft limit to the hard one, as nginx and Go do at start (an unlimited hard limit means the
  /// kernel's `fs.nr_open`, 1,048,576 if unreadable); returns the limits afterwards (unchanged if refused).
  @discardableResult
  package static func raiseToHard() -> (soft: UInt64, hard: UInt64)? {
    var limit = rlimit()
    guard getrlimit(resource, &limit) == 0 else { return nil }
    var target = limit.rlim_max
    if target == rlim_t.max { target = rlim_t(kernelMaximum()) }  // RLIM_INFINITY
    if limit.rlim_cur < target {
      var raised = limit
      raised.rlim_cur = target
      _ = setrlimit(resource, &raised)
    }
    return current()
  }

  private static var resource: __rlimit_resource_t {
    __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
  }

  private static func kernelMaximum() -> UInt64 {
    guard let file = fopen("/proc/sys/fs/nr_open", "r") else { return 1_048_576 }
    defer { fclose(file) }
    var buffer = [CChar](repeating: 0, count: 32)
    guard fgets(&buffer, 32, file) != nil else { return 1_048_576 }
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    let digits = String(decoding: bytes, as: UTF8.self).filter(\.isNumber)
    return UInt64(digits) ?? 1_048_576
  }
}
