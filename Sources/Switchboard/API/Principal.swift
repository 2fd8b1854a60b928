import Configuration

/// Who is calling the API: the name of the token they presented (the actor in audit events) and its role.
public struct Principal: Sendable, Hashable {
  /// The token's name from `auth.tokens` (or `admin`/`operator`/`viewer` for tokens from the environment).
  public var name: String
  /// What the token may do.
  public var role: TokenRole

  public init(name: String, role: TokenRole) {
    self.name = name
    self.role = role
  }
}
