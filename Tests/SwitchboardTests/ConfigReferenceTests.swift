import Configuration
import Foundation
import Testing

/// `docs/configuration.md` against the configuration decoder: every key the decoder reads is documented with
/// its default, and every documented key is read, so the reference cannot drift from the program.
@Suite("The configuration reference")
struct ConfigReferenceTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// The keys the decoder reads, from a file that holds every mapping it knows (`Fixtures/every-key.yaml`),
  /// with every signal's keys under `signals[]` wherever the signal is written.
  static func readKeys() throws -> Set<String> {
    let fixture = root.appendingPathComponent("Tests/SwitchboardTests/Fixtures/every-key.yaml")
    let keys = ConfigValidator.readableKeys(yaml: try String(contentsOf: fixture, encoding: .utf8))
    return Set(keys.map(Self.generalSignal))
  }

  static func generalSignal(_ key: String) -> String {
    guard let range = key.range(of: "signals[].") else { return key }
    return "signals[]." + key[range.upperBound...]
  }

  /// One documented key: its full path and the text of its default (empty when the table gives none).
  struct DocumentedKey: Hashable {
    var path: String
    var defaultText: String?
  }

  /// The keys in the reference's tables. A heading's backquoted key paths (`services[].regions[]`) are the prefixes
  /// of the rows of the tables under it, down to the next heading of the same or a higher level; `## Top level`
  /// has none, and a heading without a path keeps its parent's. Only tables whose first column is `key` count.
  static func documentedKeys() throws -> [DocumentedKey] {
    let text = try String(
      contentsOf: root.appendingPathComponent("docs/configuration.md"), encoding: .utf8)
    var prefixes: [(level: Int, paths: [String])] = []
    var header: [String]? = nil
    var keys: [DocumentedKey] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("#") {
        let level = line.prefix { $0 == "#" }.count
        prefixes.removeAll { $0.level >= level }
        let spans = line.split(separator: "`").enumerated().filter { $0.offset % 2 == 1 }.map {
          String($0.element)
        }
        let paths = spans.filter { $0.wholeMatch(of: /[a-z_]+(\[\])?(\.[a-z_]+(\[\])?)*/) != nil }
        prefixes.append((level, paths.isEmpty ? prefixes.last?.paths ?? [""] : paths))
        header = nil
        continue
      }
      guard line.hasPrefix("|") else {
        header = nil
        continue
      }
      let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
        .map { $0.trimmingCharacters(in: .whitespaces) }
      guard let columns = header else {
        header = cells
        continue
      }
      guard columns.first == "key", let first = cells.first, !first.hasPrefix("---") else { continue }
      let key = first.trimmingCharacters(in: CharacterSet(charactersIn: "`"))
      let defaultText = columns.firstIndex(of: "default").map { cells.indices.contains($0) ? cells[$0] : "" }
      for prefix in prefixes.last?.paths ?? [""] {
        keys.append(DocumentedKey(path: prefix.isEmpty ? key : "\(prefix).\(key)", defaultText: defaultText))
      }
    }
    return keys
  }

  /// A documented path and the mappings it lies in (`storage.path` documents `storage` too). Signals are
  /// documented once, under `signals[]`, for every place a list of them is written.
  static func withAncestors(_ path: String) -> [String] {
    var result = [path]
    var rest = path
    while let dot = rest.lastIndex(of: ".") {
      rest = String(rest[..<dot])
      if rest == "signals[]" { break }
      if rest.hasSuffix("[]") { rest.removeLast(2) }
      result.append(rest)
    }
    return result
  }

  @Test(
    "Given the decoder and docs/configuration.md, when their keys are compared, then each reads what the other names"
  )
  func keysAgree() throws {
    let read = try Self.readKeys()
    let documented = Set(try Self.documentedKeys().flatMap { Self.withAncestors($0.path) })
    let undocumented = read.subtracting(documented).sorted()
    let unread = documented.subtracting(read).sorted()
    #expect(
      undocumented.isEmpty,
      "read by the decoder but not in docs/configuration.md: \(undocumented.joined(separator: ", "))")
    #expect(
      unread.isEmpty,
      "in docs/configuration.md but not read by the decoder (or missing from Fixtures/every-key.yaml): \(unread.joined(separator: ", "))"
    )
  }

  @Test("Given docs/configuration.md, when its key tables are read, then every key states its default")
  func everyKeyHasADefault() throws {
    let keys = try Self.documentedKeys()
    #expect(keys.count > 50)
    let missing = keys.filter { ($0.defaultText ?? "").isEmpty }.map(\.path)
    #expect(missing.isEmpty, "keys without a default column or value: \(missing.joined(separator: ", "))")
  }
}
