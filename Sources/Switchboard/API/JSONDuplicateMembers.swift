import Foundation

/// Finds a member name that appears twice in one JSON object. JSON parsers (Foundation's among them) keep one of
/// the two silently, so a client that sent `{"duration_seconds":60,"duration_seconds":61}` would never learn which
/// value counted; strict bodies refuse the document instead.
enum JSONDuplicateMembers {
  /// The JSON Pointer of the first repeated member (e.g. `/duration_seconds`), or nil when every object's names are
  /// unique. `bytes` must already be valid JSON: this scan trusts its structure.
  static func first(in bytes: [UInt8]) -> String? {
    var stack: [Frame] = []
    func childPointer() -> String {
      guard let top = stack.last else { return "" }
      return top.pointer + "/" + (top.isObject ? escape(top.lastName) : String(top.index))
    }
    var position = 0
    while position < bytes.count {
      let byte = bytes[position]
      switch byte {
      case UInt8(ascii: "{"):
        stack.append(Frame(isObject: true, expectsName: true, pointer: childPointer()))
      case UInt8(ascii: "["):
        stack.append(Frame(isObject: false, pointer: childPointer()))
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        stack.removeLast()
      case UInt8(ascii: ","):
        if stack.last?.isObject == true {
          stack[stack.count - 1].expectsName = true
        } else if !stack.isEmpty {
          stack[stack.count - 1].index += 1
        }
      case UInt8(ascii: "\""):
        var end = position + 1
        var escaped = false
        while end < bytes.count {
          if bytes[end] == UInt8(ascii: "\\") {
            escaped = true
            end += 2
            continue
          }
          if bytes[end] == UInt8(ascii: "\"") { break }
          end += 1
        }
        if stack.last?.isObject == true, stack[stack.count - 1].expectsName {
          let raw = Array(bytes[position...min(end, bytes.count - 1)])
          let name = escaped ? unescape(raw) : String(decoding: raw.dropFirst().dropLast(), as: UTF8.self)
          stack[stack.count - 1].expectsName = false
          stack[stack.count - 1].lastName = name
          guard stack[stack.count - 1].names.insert(name).inserted else {
            return stack[stack.count - 1].pointer + "/" + escape(name)
          }
        }
        position = end
      default:
        break
      }
      position += 1
    }
    return nil
  }

  /// One open container: an object's names so far and whether a name comes next; an array's index.
  private struct Frame {
    var isObject: Bool
    var names: Set<String> = []
    var expectsName = false
    var pointer: String
    var index = 0
    var lastName = ""
  }

  /// A quoted JSON string with escapes (`"a\u0062"`) as the text it stands for.
  private static func unescape(_ quoted: [UInt8]) -> String {
    (try? JSONDecoder().decode(String.self, from: Data(quoted)))
      ?? String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self)
  }

  /// A name as a JSON Pointer token (RFC 6901: `~` → `~0`, `/` → `~1`).
  private static func escape(_ name: String) -> String {
    name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
  }
}
