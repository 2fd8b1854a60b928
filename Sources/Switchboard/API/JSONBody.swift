import FailoverCore
import Foundation
import HTTPServer

/// A request body read strictly: JSON, an object, no unknown fields, no member named twice, every field of the
/// expected type (`null` is not a value of any of them: an optional field is left out, as the contract's schemas
/// say).
///
/// Accessors record every problem and `finish()` throws them together (400), so a client learns all of its
/// mistakes at once. Semantic checks (an unknown region, a duration out of range) are the caller's, as 422.
public struct JSONBody {
  /// The largest body an API operation accepts.
  public static let maximumBytes = 16 * 1024

  private let object: [String: FailoverCore.JSONValue]
  private var known: Set<String> = []
  private var errors: [FieldError] = []

  /// Reads the request's body; an empty body reads as `{}` when `allowEmpty`.
  public init(_ request: Request, allowEmpty: Bool = false) throws(APIError) {
    if request.body.count > Self.maximumBytes {
      throw .tooLarge(
        "The body is \(request.body.count) bytes; this operation accepts at most \(Self.maximumBytes).")
    }
    if request.body.isEmpty, allowEmpty {
      object = [:]
      return
    }
    let contentType = request.headers["Content-Type"]?.lowercased() ?? ""
    let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) }
    guard mediaType == "application/json" || (mediaType?.hasSuffix("+json") ?? false) else {
      throw .unsupportedMediaType(
        contentType.isEmpty
          ? "The body must be JSON: send `Content-Type: application/json`."
          : "The body must be JSON (`Content-Type: application/json`), not \(contentType).")
    }
    guard !request.body.isEmpty else { throw .badRequest("The body is empty; send a JSON object.") }
    let value: FailoverCore.JSONValue
    do {
      value = try JSONDecoder().decode(FailoverCore.JSONValue.self, from: Data(request.body))
    } catch {
      throw .badRequest("The body is not valid JSON: \(Self.describe(error))")
    }
    guard case .object(let members) = value else {
      throw .badRequest("The body must be a JSON object, not \(Self.typeName(value)).")
    }
    if let pointer = JSONDuplicateMembers.first(in: request.body) {
      let name = String(pointer.dropFirst())
      throw .badRequest(
        "\(name) appears more than once in the body; send each member once.",
        errors: [FieldError(pointer, "\(name) appears more than once.")])
    }
    object = members
  }

  /// A string field; `maxLength` in characters; empty (after trimming) counts as missing when `required`.
  public mutating func string(_ key: String, required: Bool = false, maxLength: Int = 1000) -> String? {
    known.insert(key)
    guard let value = object[key] else {
      if required { errors.append(FieldError("/\(key)", "\(key) is required.")) }
      return nil
    }
    guard case .string(let text) = value else {
      errors.append(FieldError("/\(key)", "\(key) must be a string, not \(Self.typeName(value))."))
      return nil
    }
    if required, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
      errors.append(FieldError("/\(key)", "\(key) must not be empty."))
      return nil
    }
    // Characters as JSON Schema's maxLength counts them: Unicode code points, not grapheme clusters.
    let length = text.unicodeScalars.count
    if length > maxLength {
      errors.append(
        FieldError("/\(key)", "\(key) is \(length) characters; at most \(maxLength) are allowed."))
      return nil
    }
    return text
  }

  /// A boolean field.
  public mutating func bool(_ key: String) -> Bool? {
    known.insert(key)
    guard let value = object[key] else { return nil }
    guard case .bool(let flag) = value else {
      errors.append(FieldError("/\(key)", "\(key) must be true or false, not \(Self.typeName(value))."))
      return nil
    }
    return flag
  }

  /// A number field within `range`.
  public mutating func number(_ key: String, in range: ClosedRange<Double>) -> Double? {
    known.insert(key)
    guard let value = object[key] else { return nil }
    let number: Double
    switch value {
    case .int(let int): number = Double(int)
    case .double(let double): number = double
    default:
      errors.append(FieldError("/\(key)", "\(key) must be a number, not \(Self.typeName(value))."))
      return nil
    }
    guard number.isFinite, range.contains(number) else {
      errors.append(
        FieldError(
          "/\(key)",
          "\(key) is \(Self.format(number)); it must be between \(Self.format(range.lowerBound)) and "
            + "\(Self.format(range.upperBound))."))
      return nil
    }
    return number
  }

  /// An array of strings, at most `maxCount` long.
  public mutating func strings(_ key: String, maxCount: Int = 50) -> [String]? {
    known.insert(key)
    guard let value = object[key] else { return nil }
    guard case .array(let items) = value else {
      errors.append(FieldError("/\(key)", "\(key) must be an array of strings, not \(Self.typeName(value))."))
      return nil
    }
    guard items.count <= maxCount else {
      errors.append(
        FieldError("/\(key)", "\(key) has \(items.count) items; at most \(maxCount) are allowed."))
      return nil
    }
    var strings: [String] = []
    for (index, item) in items.enumerated() {
      guard case .string(let text) = item else {
        errors.append(
          FieldError("/\(key)/\(index)", "Each item of \(key) must be a string, not \(Self.typeName(item))."))
        return nil
      }
      strings.append(text)
    }
    return strings
  }

  /// Adds a problem found by the caller while reading.
  public mutating func reject(_ key: String, _ detail: String) {
    errors.append(FieldError("/\(key)", detail))
  }

  /// Throws every problem recorded, plus one per unknown field; returns when the body is clean.
  public func finish() throws(APIError) {
    var all = errors
    for key in object.keys.sorted() where !known.contains(key) {
      let expected = known.sorted().joined(separator: ", ")
      all.append(FieldError("/\(key)", "\(key) is not a field of this request (expected: \(expected))."))
    }
    guard all.isEmpty else {
      let summary =
        all.count == 1 ? all[0].detail : "\(all.count) problems: " + all.map(\.detail).joined(separator: " ")
      throw .badRequest(summary, errors: all)
    }
  }

  static func typeName(_ value: FailoverCore.JSONValue) -> String {
    switch value {
    case .null: "null"
    case .bool: "a boolean"
    case .int, .double: "a number"
    case .string: "a string"
    case .array: "an array"
    case .object: "an object"
    }
  }

  private static func format(_ number: Double) -> String {
    number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
  }

  private static func describe(_ error: any Error) -> String {
    guard let decoding = error as? DecodingError else { return "\(error)" }
    switch decoding {
    case .dataCorrupted(let context):
      let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
      return underlying ?? context.debugDescription
    default:
      return "\(decoding)"
    }
  }
}
