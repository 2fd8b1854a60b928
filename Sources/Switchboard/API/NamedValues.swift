import Foundation

/// Names that must each be a case of a string enum (event kinds, safety rules), with one sentence per unknown one.
enum NamedValues {
  /// The cases named, and a sentence for each name that is none (`noun` names the kind: "event kind").
  static func parse<Value: RawRepresentable & CaseIterable & Hashable>(
    _ names: [String], as type: Value.Type, noun: String
  ) -> (values: Set<Value>, problems: [String]) where Value.RawValue == String {
    var values: Set<Value> = []
    var problems: [String] = []
    for name in names where !name.isEmpty {
      guard let value = Value(rawValue: name) else {
        let known = Value.allCases.map(\.rawValue).joined(separator: ", ")
        problems.append("\(name) is not a \(noun) (\(noun)s: \(known)).")
        continue
      }
      values.insert(value)
    }
    return (values, problems)
  }

  /// A comma-separated list, each item trimmed.
  static func split(_ text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
  }
}
