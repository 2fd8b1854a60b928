import Foundation
import Testing

/// The app module reaches the store only through FailoverCore's store ports; only the Store module and the
/// composition root (`SwitchboardApplication`) name the SQLite store.
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
        (
          url.path.replacingOccurrences(of: sources.path + "/", with: ""),
          try String(contentsOf: url, encoding: .utf8)
        ))
    }
    return files
  }

  @Test(
    "Given the app module's sources, when their imports are read, then none imports Store, Glibc or COpenSSL, nor names SQLiteStore"
  )
  func appModuleUsesPorts() throws {
    let files = try Self.swiftFiles(in: "Switchboard")
    #expect(files.count > 50)

    let forbidden: Set<String> = ["import Store", "import Glibc", "import COpenSSL"]
    let importing = files.filter { file in
      file.text.split(separator: "\n").contains {
        forbidden.contains($0.trimmingCharacters(in: .whitespaces))
      }
    }
    let naming = files.filter { $0.text.contains("SQLiteStore") }

    #expect(importing.map(\.path) == [])
    #expect(naming.map(\.path) == [])
  }

  @Test(
    "Given every source file, when SQLiteStore is searched for, then only the Store module and the composition root name it"
  )
  func onlyStoreAndCompositionRootNameSQLite() throws {
    let files = try Self.swiftFiles(in: "")
    #expect(files.contains { $0.path.hasPrefix("SwitchboardApplication/") })

    let allowed = ["Store/", "SwitchboardApplication/"]
    let naming = files.filter { file in
      file.text.contains("SQLiteStore") && !allowed.contains { file.path.hasPrefix($0) }
    }

    #expect(naming.map(\.path) == [])
  }
}
