/// Values established while a request is routed, for its handler, one per type: what a `RouteGuard` found
/// (e.g. the authenticated caller), so the handler need not derive it again. Empty until a guard sets one.
public struct RequestAttributes: Sendable {
  private var values: [ObjectIdentifier: any Sendable] = [:]

  /// No values.
  public init() {}

  /// The value of type `Value`, when one was set.
  public subscript<Value: Sendable>(_ type: Value.Type) -> Value? {
    get { values[ObjectIdentifier(type)] as? Value }
    set { values[ObjectIdentifier(type)] = newValue }
  }
}
