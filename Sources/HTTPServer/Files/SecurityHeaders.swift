/// The headers every static response carries (the dashboard's): a strict Content-Security-Policy (only this
/// origin's scripts, styles and connections; no inline script or style; no framing), no MIME sniffing, and no
/// Referer sent anywhere.
public enum SecurityHeaders {
  /// The Content-Security-Policy of the dashboard.
  public static let contentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    + "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

  /// The headers, in order.
  public static let fields: [(name: String, value: String)] = [
    ("Content-Security-Policy", contentSecurityPolicy),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
  ]

  /// `response` with the headers set (replacing any of the same name).
  public static func applied(to response: Response) -> Response {
    var secured = response
    for field in fields { secured.headers.replaceOrAdd(name: field.name, value: field.value) }
    return secured
  }
}
