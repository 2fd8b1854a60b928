/// Media types for the files the dashboard ships, by extension.
enum ContentTypes {
  static let byExtension: [String: String] = [
    "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8",
    "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8", "json": "application/json", "map": "application/json",
    "yaml": "application/yaml", "yml": "application/yaml", "txt": "text/plain; charset=utf-8",
    "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
    "gif": "image/gif", "ico": "image/x-icon", "webp": "image/webp", "woff": "font/woff",
    "woff2": "font/woff2", "wasm": "application/wasm", "xml": "application/xml",
  ]

  /// The media type for a file name; `application/octet-stream` when unknown.
  static func forFile(_ name: String) -> String {
    guard let dot = name.lastIndex(of: ".") else { return "application/octet-stream" }
    let ext = name[name.index(after: dot)...].lowercased()
    return byExtension[ext] ?? "application/octet-stream"
  }
}
