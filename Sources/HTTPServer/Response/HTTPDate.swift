import Glibc

/// The IMF-fixdate for the `Date` header (RFC 9110 §5.6.7), formatted at most once per second per cache.
struct HTTPDateCache {
  private var second: Int = -1
  private(set) var headerLine: [UInt8] = []

  /// `Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n` for the current second.
  mutating func current() -> [UInt8] {
    let now = time(nil)
    if now != second {
      second = now
      headerLine = Array("Date: \(HTTPDateCache.format(now))\r\n".utf8)
    }
    return headerLine
  }

  static func format(_ seconds: Int) -> String {
    var t = time_t(seconds)
    var parts = tm()
    gmtime_r(&t, &parts)
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return
      "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(1900 + parts.tm_year) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
  }
}
