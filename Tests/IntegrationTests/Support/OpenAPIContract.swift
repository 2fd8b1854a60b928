import Configuration
import Foundation
import Switchboard
import Yams

/// The operations of the OpenAPI document (as the server serves it), with what the contract tests need to call
/// each one realistically: its least role, whether it is public, a target with real parameters, and a body
/// built from its request schema.
struct OpenAPIContract {
  /// One operation of the document.
  struct Operation: CustomStringConvertible, Sendable {
    var id: String
    /// Uppercase: `GET`, `POST`, `DELETE`.
    var method: String
    /// The templated path: `/api/v1/services/{service}`.
    var path: String
    /// `x-required-role`, when given.
    var requiredRole: TokenRole?
    /// `x-required-role` as written (to report a value that is not a role).
    var requiredRoleText: String?
    /// `security: []`: no token needed, ever.
    var isPublic: Bool
    /// Readable without a token when the configuration says `public_status: true` (the operation lists an empty
    /// security requirement `{}` beside bearer, or says `x-public-status: true`).
    var isPublicWhenConfigured: Bool
    /// Path parameter names, in order.
    var pathParameters: [String]
    /// Required query parameters, with a realistic value each.
    var requiredQuery: [(name: String, value: String)]
    /// A JSON body satisfying the request schema (required fields only), when the operation takes one.
    var sampleBody: String?
    /// Media types of its responses (`text/event-stream` marks a stream that never ends).
    var responseMediaTypes: Set<String>
    /// The response statuses it documents (`200`, `4XX`, `default`).
    var responseStatuses: Set<String>

    var description: String { "\(method) \(path) (\(id))" }

    /// Whether it changes state.
    var isMutation: Bool { !["GET", "HEAD", "OPTIONS"].contains(method) }

    /// The path with `values` (else realistic defaults) put in, plus required query parameters.
    func target(_ values: [String: String] = [:]) -> String {
      var result = path
      for name in pathParameters {
        let value = values[name] ?? OpenAPIContract.sampleValue(forParameter: name)
        result = result.replacingOccurrences(
          of: "{\(name)}", with: value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? value)
      }
      if !requiredQuery.isEmpty {
        result += "?" + requiredQuery.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
      }
      return result
    }
  }

  /// Every operation, in document order of paths then methods.
  let operations: [Operation]

  /// Parses the document's text.
  init(yaml: String) throws {
    guard let root = try Yams.load(yaml: yaml) as? [String: Any],
      let paths = root["paths"] as? [String: Any]
    else { throw HarnessError("the OpenAPI document has no `paths` mapping") }
    let resolver = Resolver(root: root)
    let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
    var operations: [Operation] = []
    let rootSecurity = root["security"] as? [[String: Any]]
    for path in paths.keys.sorted() {
      guard let item = paths[path] as? [String: Any] else { continue }
      let shared = (item["parameters"] as? [Any] ?? []).compactMap { resolver.resolve($0) }
      for method in methods {
        guard let operation = item[method] as? [String: Any] else { continue }
        let parameters =
          shared + (operation["parameters"] as? [Any] ?? []).compactMap { resolver.resolve($0) }
        let security = (operation["security"] as? [[String: Any]]) ?? rootSecurity ?? []
        let roleText = operation["x-required-role"] as? String
        var body: String?
        if let requestBody = resolver.resolve(operation["requestBody"] ?? NSNull()),
          let content = requestBody["content"] as? [String: Any],
          let json = content["application/json"] as? [String: Any],
          let schema = json["schema"]
        {
          body = String(
            decoding: try JSONSerialization.data(
              withJSONObject: resolver.sample(schema, name: nil) ?? [:], options: [.sortedKeys]),
            as: UTF8.self)
        }
        var mediaTypes: Set<String> = []
        for response in (operation["responses"] as? [String: Any] ?? [:]).values {
          if let content = resolver.resolve(response)?["content"] as? [String: Any] {
            mediaTypes.formUnion(content.keys)
          }
        }
        operations.append(
          Operation(
            id: operation["operationId"] as? String ?? "\(method) \(path)", method: method.uppercased(),
            path: path, requiredRole: roleText.flatMap(TokenRole.init(rawValue:)), requiredRoleText: roleText,
            isPublic: security.isEmpty,
            isPublicWhenConfigured: (security.contains { $0.isEmpty } && !security.isEmpty)
              || (operation["x-public-status"] as? Bool) == true,
            pathParameters: parameters.filter { $0["in"] as? String == "path" }.compactMap {
              $0["name"] as? String
            },
            requiredQuery: parameters.filter {
              $0["in"] as? String == "query" && $0["required"] as? Bool == true
            }
            .compactMap { parameter in
              guard let name = parameter["name"] as? String else { return nil }
              let value = resolver.sample(parameter["schema"] ?? [:], name: name)
              return (name, value.map { "\($0)" } ?? "contract")
            },
            sampleBody: body, responseMediaTypes: mediaTypes,
            responseStatuses: Set((operation["responses"] as? [String: Any] ?? [:]).keys)))
      }
    }
    self.operations = operations
  }

  /// The operation with that id.
  func operation(_ id: String) throws -> Operation {
    guard let found = operations.first(where: { $0.id == id }) else {
      throw HarnessError("the OpenAPI document has no operation \(id)")
    }
    return found
  }

  /// A realistic value for a path parameter of the contract server's configuration.
  static func sampleValue(forParameter name: String) -> String {
    switch name {
    case "service": ContractServer.service
    case "region": ContractServer.regions[0]
    default: "contract-\(name)"
    }
  }

  /// Follows `$ref`s within the document and builds sample values from schemas.
  private struct Resolver {
    let root: [String: Any]

    /// The object at a local `$ref`, or the object itself.
    func resolve(_ value: Any) -> [String: Any]? {
      guard var object = value as? [String: Any] else { return nil }
      var hops = 0
      while let reference = object["$ref"] as? String, reference.hasPrefix("#/"), hops < 20 {
        var current: Any? = root
        for part in reference.dropFirst(2).split(separator: "/") {
          current = (current as? [String: Any])?[String(part)]
        }
        guard let next = current as? [String: Any] else { return nil }
        object = next
        hops += 1
      }
      return object
    }

    /// A value that satisfies `schema` with as little as possible: required properties only, minimum numbers,
    /// the first enum member; strings named like the configuration's things get its real values.
    func sample(_ schema: Any, name: String?, depth: Int = 0) -> Any? {
      guard depth < 10, let schema = resolve(schema) else { return nil }
      if let constant = schema["const"] { return constant }
      if let values = schema["enum"] as? [Any], let first = values.first { return first }
      if let example = schema["example"] { return example }
      if let choices = (schema["oneOf"] ?? schema["anyOf"]) as? [Any], let first = choices.first {
        return sample(first, name: name, depth: depth + 1)
      }
      let type: String? = (schema["type"] as? String) ?? (schema["type"] as? [String])?.first
      switch type {
      case "object":
        var object: [String: Any] = [:]
        let properties = schema["properties"] as? [String: Any] ?? [:]
        for key in schema["required"] as? [String] ?? [] {
          object[key] = sample(properties[key] ?? [:], name: key, depth: depth + 1) ?? NSNull()
        }
        return object
      case "array": return []
      case "integer": return (schema["minimum"] as? Int) ?? 1
      case "number":
        return (schema["minimum"] as? Double) ?? (schema["minimum"] as? Int).map(Double.init) ?? 1
      case "boolean": return false
      case "null": return NSNull()
      default:
        switch name {
        case "target_region": return ContractServer.regions[1]
        case "region": return ContractServer.regions[0]
        case "service": return ContractServer.service
        case "scope": return "service:\(ContractServer.service)"
        case "reason": return "contract test"
        default: return "contract"
        }
      }
    }
  }
}
