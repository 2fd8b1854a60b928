/// Maps method + path to handlers. Patterns are literal segments, `{name}` parameters, and a final
/// `{name...}` that captures the rest of the path: `/api/v1/services/{id}`, `/files/{path...}`.
///
/// A route may declare a `RouteGuard`, checked before its handler (the dispatcher never sees an unguarded
/// handler of a guarded route). Build it before the server starts; it is a value and does not change while
/// serving.
public struct Router: Sendable {
  /// What a lookup found.
  public enum Match: Sendable {
    case found(RouteHandler, parameters: Parameters, pattern: String)
    /// The path exists but not for this method; `allowed` lists the methods it has.
    case methodNotAllowed(allowed: [Method])
    case notFound
  }

  struct Endpoint: Sendable {
    var handler: RouteHandler
    var pattern: String
    /// The declared guard's requirement, when the route has one.
    var requirement: String?
  }

  struct Node: Sendable {
    var literals: [Substring: Node] = [:]
    var parameterName: String?
    var parameterChild: [Node] = []  // zero or one node (a struct cannot contain itself directly)
    var restName: String?
    var restHandlers: [Method: Endpoint] = [:]
    var handlers: [Method: Endpoint] = [:]
  }

  var root = Node()

  public init() {}

  /// Registers a synchronous handler, behind `routeGuard` when given.
  public mutating func on(
    _ method: Method, _ pattern: String, guard routeGuard: RouteGuard? = nil,
    _ handler: @escaping @Sendable (Request) throws -> Response
  ) {
    add(method, pattern, .sync(handler), guard: routeGuard)
  }

  /// Registers an asynchronous handler, behind `routeGuard` when given.
  public mutating func on(
    _ method: Method, _ pattern: String, guard routeGuard: RouteGuard? = nil,
    async handler: @escaping @Sendable (Request) async throws -> Response
  ) {
    add(method, pattern, .async(handler), guard: routeGuard)
  }

  /// Registers a synchronous GET handler (HEAD is answered by it too, without the body).
  public mutating func get(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> Response) {
    on(.GET, pattern, handler)
  }

  /// Registers an asynchronous GET handler.
  public mutating func get(
    _ pattern: String, async handler: @escaping @Sendable (Request) async throws -> Response
  ) {
    on(.GET, pattern, async: handler)
  }

  /// Registers a synchronous POST handler.
  public mutating func post(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> Response) {
    on(.POST, pattern, handler)
  }

  /// Registers an asynchronous POST handler.
  public mutating func post(
    _ pattern: String, async handler: @escaping @Sendable (Request) async throws -> Response
  ) {
    on(.POST, pattern, async: handler)
  }

  /// Registers a handler, behind `routeGuard` when given; a later registration of the same method and pattern
  /// replaces the earlier.
  public mutating func add(
    _ method: Method, _ pattern: String, _ handler: RouteHandler, guard routeGuard: RouteGuard? = nil
  ) {
    let segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    let endpoint = Endpoint(
      handler: routeGuard?.protect(handler) ?? handler, pattern: pattern, requirement: routeGuard?.requirement
    )
    Router.insert(into: &root, segments: segments[...], method: method, endpoint: endpoint)
  }

  private static func insert(
    into node: inout Node, segments: ArraySlice<String>, method: Method, endpoint: Endpoint
  ) {
    guard let segment = segments.first else {
      node.handlers[method] = endpoint
      return
    }
    if segment.hasPrefix("{"), segment.hasSuffix("...}") {
      precondition(segments.count == 1, "A {name...} segment must be the last one in \(endpoint.pattern)")
      node.restName = String(segment.dropFirst().dropLast(4))
      node.restHandlers[method] = endpoint
    } else if segment.hasPrefix("{"), segment.hasSuffix("}") {
      let name = String(segment.dropFirst().dropLast())
      precondition(
        node.parameterName == nil || node.parameterName == name,
        "Conflicting parameter names at \(endpoint.pattern)")
      node.parameterName = name
      if node.parameterChild.isEmpty { node.parameterChild = [Node()] }
      insert(
        into: &node.parameterChild[0], segments: segments.dropFirst(), method: method, endpoint: endpoint)
    } else {
      insert(
        into: &node.literals[Substring(segment), default: Node()], segments: segments.dropFirst(),
        method: method,
        endpoint: endpoint)
    }
  }

  /// Finds the handler for a method and a (percent-encoded) path.
  public func match(_ method: Method, path: String) -> Match {
    var parameters = Parameters()
    guard let handlers = Router.find(root, path: Substring(path), parameters: &parameters) else {
      return .notFound
    }
    if let endpoint = handlers[method] {
      return .found(endpoint.handler, parameters: parameters, pattern: endpoint.pattern)
    }
    if method == .HEAD, let endpoint = handlers[.GET] {
      return .found(endpoint.handler, parameters: parameters, pattern: endpoint.pattern)
    }
    var allowed = Set(handlers.keys)
    if allowed.contains(.GET) { allowed.insert(.HEAD) }
    allowed.insert(.OPTIONS)
    return .methodNotAllowed(allowed: allowed.sorted { $0.rawValue < $1.rawValue })
  }

  /// Every registered method and pattern, sorted by pattern then method (for documentation and drift checks).
  public var routes: [(method: Method, pattern: String)] {
    guardedRoutes.map { ($0.method, $0.pattern) }
  }

  /// Every registered route with its guard's requirement (nil for an unguarded route), sorted like `routes`:
  /// what a test compares with the contract's declared requirements.
  public var guardedRoutes: [(method: Method, pattern: String, requirement: String?)] {
    var found: [(method: Method, pattern: String, requirement: String?)] = []
    Router.collect(root, into: &found)
    return found.sorted { ($0.pattern, $0.method.rawValue) < ($1.pattern, $1.method.rawValue) }
  }

  private static func collect(
    _ node: Node, into found: inout [(method: Method, pattern: String, requirement: String?)]
  ) {
    for (method, endpoint) in node.handlers { found.append((method, endpoint.pattern, endpoint.requirement)) }
    for (method, endpoint) in node.restHandlers {
      found.append((method, endpoint.pattern, endpoint.requirement))
    }
    for child in node.literals.values { collect(child, into: &found) }
    for child in node.parameterChild { collect(child, into: &found) }
  }

  /// The handlers at the node the path leads to, with captured parameters; literals win over parameters,
  /// parameters over a rest capture.
  private static func find(_ node: Node, path: Substring, parameters: inout Parameters) -> [Method: Endpoint]?
  {
    var rest = path
    while rest.first == "/" { rest = rest.dropFirst() }
    if rest.isEmpty {
      if !node.handlers.isEmpty { return node.handlers }
      if let restName = node.restName, !node.restHandlers.isEmpty {
        parameters.set(restName, "")
        return node.restHandlers
      }
      return nil
    }
    let segmentEnd = rest.firstIndex(of: "/") ?? rest.endIndex
    let segment = rest[..<segmentEnd]
    let remainder = rest[segmentEnd...]
    if let child = node.literals[segment] {
      let saved = parameters
      if let found = find(child, path: remainder, parameters: &parameters) { return found }
      parameters = saved
    }
    if let name = node.parameterName, let child = node.parameterChild.first {
      let saved = parameters
      parameters.set(name, PercentDecoding.decode(segment) ?? String(segment))
      if let found = find(child, path: remainder, parameters: &parameters) { return found }
      parameters = saved
    }
    if let restName = node.restName, !node.restHandlers.isEmpty {
      parameters.set(restName, String(rest))
      return node.restHandlers
    }
    return nil
  }
}
