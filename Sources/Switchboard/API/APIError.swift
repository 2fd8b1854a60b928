import Configuration
import HTTPServer

/// An API refusal: a problem document (RFC 9457) plus any headers it needs (e.g. `WWW-Authenticate`).
///
/// Handlers throw it; `APIHandler` turns it into the response. The `type` URIs are listed in docs/api.md.
public struct APIError: Error, Sendable {
  /// The problem document.
  public var problem: ProblemDetails
  /// Extra response headers.
  public var headers: [(String, String)]

  public init(_ problem: ProblemDetails, headers: [(String, String)] = []) {
    self.problem = problem
    self.headers = headers
  }

  /// The response to send.
  public var response: Response {
    var response = problem.response
    for (name, value) in headers { response.headers.add(name: name, value: value) }
    response.headers.add(name: "Cache-Control", value: "no-store")
    return response
  }

  /// The problem type URI for a slug: `urn:switchboard:problem:<slug>`.
  public static func type(_ slug: String) -> String { "urn:switchboard:problem:\(slug)" }

  private static func make(
    _ status: Status, _ slug: String, _ title: String, _ detail: String,
    _ extensions: [(String, JSONValue)] = []
  ) -> APIError {
    APIError(
      ProblemDetails(status: status, detail: detail, type: type(slug), title: title, extensions: extensions))
  }

  /// 401: no valid credentials.
  public static func unauthorized(_ detail: String) -> APIError {
    var error = make(.unauthorized, "unauthorized", "Authentication required", detail)
    error.headers.append(("WWW-Authenticate", #"Bearer realm="switchboard""#))
    return error
  }

  /// 403: valid credentials, not enough role.
  public static func forbidden(_ principal: Principal, needs role: TokenRole) -> APIError {
    make(
      .forbidden, "forbidden", "Not allowed for this role",
      "Token \(principal.name) has the \(principal.role.rawValue) role; this operation needs \(role.rawValue) "
        + "or higher.",
      [("required_role", .string(role.rawValue)), ("role", .string(principal.role.rawValue))])
  }

  /// 400: the request is malformed (syntax, types, unknown or missing fields, bad parameters).
  public static func badRequest(_ detail: String, errors: [FieldError] = []) -> APIError {
    make(.badRequest, "invalid-request", "Invalid request", detail, FieldError.extensions(errors))
  }

  /// 422: well-formed but semantically refused values (a region that is not configured, a reused key). Values the
  /// schema rules out (ranges, lengths, enums) are 400.
  public static func unprocessable(_ detail: String, errors: [FieldError] = []) -> APIError {
    make(
      Status(code: 422, reasonPhrase: "Unprocessable Content"), "invalid-value", "Invalid value", detail,
      FieldError.extensions(errors))
  }

  /// 404: no such resource.
  public static func notFound(_ detail: String) -> APIError {
    make(.notFound, "not-found", "Not found", detail)
  }

  /// 409: the request conflicts with the current state; `refusedBy` names the safety rules or overrides.
  public static func conflict(_ detail: String, refusedBy: [String] = [], slug: String = "conflict")
    -> APIError
  {
    var extensions: [(String, JSONValue)] = []
    if !refusedBy.isEmpty { extensions.append(("refused_by", .array(refusedBy.map { .string($0) }))) }
    return make(.conflict, slug, "Refused", detail, extensions)
  }

  /// 413: the body exceeds what the operation accepts.
  public static func tooLarge(_ detail: String) -> APIError {
    make(.contentTooLarge, "too-large", "Content too large", detail)
  }

  /// 415: the body is not JSON.
  public static func unsupportedMediaType(_ detail: String) -> APIError {
    make(.unsupportedMediaType, "unsupported-media-type", "Unsupported media type", detail)
  }

  /// 503: a dependency (store, engine) is not available.
  public static func unavailable(_ detail: String) -> APIError {
    make(.serviceUnavailable, "unavailable", "Unavailable", detail)
  }
}

/// One problem with one field of a request, located by a JSON Pointer (RFC 6901) or a parameter name.
public struct FieldError: Sendable, Hashable {
  /// `/reason`, `/scope`, or `query:limit`.
  public var pointer: String
  /// A sentence about that field.
  public var detail: String

  public init(_ pointer: String, _ detail: String) {
    self.pointer = pointer
    self.detail = detail
  }

  static func extensions(_ errors: [FieldError]) -> [(String, JSONValue)] {
    guard !errors.isEmpty else { return [] }
    return [
      (
        "errors",
        .array(
          errors.map { .object([("pointer", .string($0.pointer)), ("detail", .string($0.detail))]) })
      )
    ]
  }
}
