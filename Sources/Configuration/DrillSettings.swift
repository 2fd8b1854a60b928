import FailoverCore
import Foundation
import Yams

extension ConfigDecoder {
  /// The `drills:` section: default guard rails every drill gets (blocked dates, blocked or allowed weekly windows,
  /// blocking and outcome alarms) and the missed-start deadline (10 s to 1 day, default 300 s).
  func decodeDrills(_ drills: MappingReader) -> DrillDefaults {
    drills.allowKeys([
      "blocked_dates", "blocked_windows", "allowed_windows", "blocking_alarms", "outcome_alarms",
      "missed_start_deadline",
    ])
    var result = DrillDefaults()
    result.guardRails.blockedDates = strings(drills, "blocked_dates")
    result.guardRails.blockingAlarms = strings(drills, "blocking_alarms")
    result.guardRails.outcomeAlarms = strings(drills, "outcome_alarms")
    result.guardRails.blockedWindows = windows(drills, "blocked_windows")
    result.guardRails.allowedWindows = windows(drills, "allowed_windows")
    if let value = drills.duration("missed_start_deadline", in: 10...86400) {
      result.missedStartDeadline = value
    }
    do { _ = try result.guardRails.validated() } catch {
      problems.add(
        drills.mark("blocked_dates") ?? drills.mark("allowed_windows"), "`drills`: \(error.message)")
    }
    return result
  }

  private func strings(_ reader: MappingReader, _ key: String) -> [String] {
    (reader.sequence(key) ?? []).compactMap { node in
      guard let text = node.string else {
        problems.add(node.mark, "`\(reader.path(key))` holds strings only.")
        return nil
      }
      return text
    }
  }

  private func windows(_ reader: MappingReader, _ key: String) -> [WeeklyWindow] {
    let items = reader.sequence(key) ?? []
    return zip(items, strings(reader, key)).compactMap { node, text in
      do throws(DrillError) { return try WeeklyWindow(parsing: text) } catch {
        problems.add(node.mark, "`\(reader.path(key))`: \(error.message)")
        return nil
      }
    }
  }
}
