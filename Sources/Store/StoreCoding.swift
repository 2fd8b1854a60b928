import Foundation
import GRDB

/// JSON and time conversions shared by the store's tables.
enum StoreCoding {
  /// Encodes a value for a JSON column: sorted keys, dates as exact seconds (lossless round trip).
  static func json<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  /// Decodes a JSON column, naming the row when it cannot.
  static func decode<T: Decodable>(_ type: T.Type, from text: String, table: String, key: String) throws -> T
  {
    do {
      return try JSONDecoder().decode(type, from: Data(text.utf8))
    } catch {
      throw StoreError.corruptRow(table: table, key: key, reason: "\(error)")
    }
  }

  /// Milliseconds since 1970, the unit of every time column (the precision of event timestamps).
  static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

  /// The instant of a time column.
  static func date(millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}

extension SQLiteStore {
  /// Runs one write transaction, turning SQLite failures into `StoreError.database`.
  func write<T: Sendable>(
    _ operation: String, _ updates: @escaping @Sendable (Database) throws -> T
  ) async throws -> T {
    try await mappingErrors(operation) { try await pool.write(updates) }
  }

  /// Runs one read, turning SQLite failures into `StoreError.database`.
  func read<T: Sendable>(
    _ operation: String, _ value: @escaping @Sendable (Database) throws -> T
  ) async throws -> T {
    try await mappingErrors(operation) { try await pool.read(value) }
  }

  /// Runs `body`, passing `StoreError`s through and turning any other failure into `StoreError.database`.
  private func mappingErrors<T: Sendable>(
    _ operation: String, _ body: () async throws -> T
  ) async throws -> T {
    do {
      return try await body()
    } catch let error as StoreError {
      throw error
    } catch {
      throw StoreError.database(operation: operation, reason: "\(error)")
    }
  }
}
