import Foundation
import Testing

/// The app module reaches the store only through FailoverCore's store ports.
@Suite("The store seam")
struct StoreSeamTests {
  static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")

  /// Every Swift file under `Sources/<folder>`, with its text.
  static func swiftFiles(in folder: String) throws -> [(path: String, text: String)] {
    let root = sources.appendingPathComponent(folder)
    guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
      return []
    }
    var files: [(path: String, text: String)] = []
    for case let url as URL in walker where url.pathExtension == "swift" {
      files.append(
        (url.path.replacingOccurrences(of: sources.path + "/", with: ""), try String(contentsOf: url, encoding: .utf8)))
    }
    return files
  }

  @Test(
    "Given the app module's sources, when their imports are read, then none imports Store or names SQLiteStore"
  )
  func appModuleUsesPorts() throws {
    let files = try Self.swiftFiles(in: "Switchboard")
    #expect(files.count > 50)

    let importing = files.filter { file in
      file.text.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == "import Store" }
    }
    let naming = files.filter { $0.text.contains("SQLiteStore") }

    #expect(importing.map(\.path) == [])
    #expect(naming.map(\.path) == [])
  }
}
