import HTTPServer

/// Typed, validated query parameters: each accessor checks its value and records a precise error.
public struct QueryParameters {
  private let request: Request
  private var errors: [FieldError] = []

  public init(_ request: Request) { self.request = request }

  /// A string value, at most `maxLength` characters.
  public mutating func string(_ name: String, maxLength: Int = 1000) -> String? {
    guard let value = request.queryValue(name) else { return nil }
    // Characters as JSON Schema's maxLength counts them: Unicode code points, not grapheme clusters.
    guard value.unicodeScalars.count <= maxLength else {
      errors.append(FieldError("query:\(name)", "\(name) is longer than \(maxLength) characters."))
      return nil
    }
    return value
  }

  /// An integer within `range`.
  public mutating func integer(_ name: String, in range: ClosedRange<Int>) -> Int? {
    guard let text = request.queryValue(name) else { return nil }
    guard let value = Int(text), range.contains(value) else {
      errors.append(
        FieldError(
          "query:\(name)",
          "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"."))
      return nil
    }
    return value
  }

  /// A pagination cursor (a positive sequence number).
  public mutating func cursor(_ name: String = "cursor") -> Int64? {
    guard let text = request.queryValue(name) else { return nil }
    guard text.utf8.count <= 18, let value = Int64(text), value >= 0 else {
      errors.append(
        FieldError("query:\(name)", "\(name) must be the next_cursor of a previous page, not \"\(text)\"."))
      return nil
    }
    return value
  }

  /// One of `allowed`.
  public mutating func choice(_ name: String, _ allowed: [String]) -> String? {
    guard let value = request.queryValue(name) else { return nil }
    guard allowed.contains(value) else {
      errors.append(
        FieldError(
          "query:\(name)", "\(name) must be one of \(allowed.joined(separator: ", ")), not \"\(value)\"."))
      return nil
    }
    return value
  }

  /// Records a problem found by the caller.
  public mutating func reject(_ name: String, _ detail: String) {
    errors.append(FieldError("query:\(name)", detail))
  }

  /// Throws every problem recorded (400).
  public func finish() throws(APIError) {
    guard !errors.isEmpty else { return }
    let summary =
      errors.count == 1
      ? errors[0].detail : "\(errors.count) problems: " + errors.map(\.detail).joined(separator: " ")
    throw .badRequest(summary, errors: errors)
  }
}
