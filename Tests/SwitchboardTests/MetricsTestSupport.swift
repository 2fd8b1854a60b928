import Foundation

/// Reading samples out of a rendered Prometheus text exposition.
enum Exposition {
  /// The value of the sample whose name and labels are exactly `series` (`name{a="x",b="y"}`), or nil.
  static func value(_ text: String, _ series: String) -> Double? {
    for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
      return Double(line.dropFirst(series.count + 1))
    }
    return nil
  }

  /// Every sample line (not HELP or TYPE) that mentions `fragment`.
  static func samples(_ text: String, containing fragment: String) -> [Substring] {
    text.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains(fragment) }
  }
}
