import Glibc
import Synchronization

/// Serves the files under a root folder (the dashboard's `Public/`): content types, strong ETags with
/// `If-None-Match` → 304, `Cache-Control`, `index.html` for folders, and nothing outside the root:
/// `..` (plain or percent-encoded), dot-files and symlinks that lead out are all refused. Every answer (files,
/// 304s, redirects, 404s) carries `SecurityHeaders`.
public final class StaticFiles: Sendable {
  /// The canonical root, without a trailing slash.
  public let root: String
  let cacheControl: String
  let maxFileBytes: Int
  private let cache = Mutex<[String: CachedFile]>([:])

  struct CachedFile: Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int
    var modified: Int
    var bytes: [UInt8]
    var etag: String
    var contentType: String
  }

  /// Fails when the root does not exist or is not a folder.
  public init(root: String, cacheControl: String = "no-cache", maxFileBytes: Int = 16 * 1024 * 1024)
    throws(AddressError)
  {
    guard let real = realpath(root, nil) else { throw AddressError("Static root '\(root)' does not exist.") }
    defer { free(real) }
    var info = stat()
    guard stat(real, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
      throw AddressError("Static root '\(root)' is not a folder.")
    }
    self.root = String(cString: real)
    self.cacheControl = cacheControl
    self.maxFileBytes = maxFileBytes
  }

  /// Registers `GET`/`HEAD` for every path under `prefix` (default: the whole site, lowest priority).
  public func register(in router: inout Router, prefix: String = "") {
    router.get(prefix + "/{path...}") { [self] request in
      respond(to: request, relativePath: request.parameters["path"] ?? "")
    }
  }

  /// The response for a file path relative to the root, still percent-encoded, with `SecurityHeaders`.
  public func respond(to request: Request, relativePath: String) -> Response {
    SecurityHeaders.applied(to: fileResponse(to: request, relativePath: relativePath))
  }

  private func fileResponse(to request: Request, relativePath: String) -> Response {
    guard let decoded = PercentDecoding.decode(relativePath), !decoded.utf8.contains(0) else {
      return ProblemDetails(status: .badRequest, detail: "The path is not validly percent-encoded.").response
    }
    var segments: [Substring] = []
    for segment in decoded.split(separator: "/", omittingEmptySubsequences: true) {
      if segment == "." { continue }
      if segment.hasPrefix(".") || segment.contains("\\") {
        return notFound(request)
      }
      segments.append(segment)
    }
    let wantsFolder = decoded.isEmpty || decoded.hasSuffix("/")
    var candidate = root + (segments.isEmpty ? "" : "/" + segments.joined(separator: "/"))
    if wantsFolder { candidate += "/index.html" }

    guard let resolvedPointer = realpath(candidate, nil) else { return notFound(request) }
    let resolved = String(cString: resolvedPointer)
    free(resolvedPointer)
    guard resolved.hasPrefix(root + "/") else { return notFound(request) }

    var info = stat()
    guard stat(resolved, &info) == 0 else { return notFound(request) }
    if (info.st_mode & S_IFMT) == S_IFDIR {
      var location = request.path + "/"
      if let query = request.query { location += "?" + query }
      return Response(status: .movedPermanently, headers: ["Location": location])
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else { return notFound(request) }
    guard let file = load(resolved, info: info) else {
      return ProblemDetails(status: .internalServerError, detail: "The file could not be read.").response
    }

    var headers: HTTPHeaders = ["ETag": file.etag, "Cache-Control": cacheControl]
    if let condition = request.headers["If-None-Match"], Self.matches(condition, etag: file.etag) {
      return Response(status: .notModified, headers: headers)
    }
    headers.add(name: "Content-Type", value: file.contentType)
    return Response(status: .ok, headers: headers, body: .bytes(file.bytes))
  }

  private func notFound(_ request: Request) -> Response {
    ProblemDetails(status: .notFound, detail: "Nothing is at \(request.path).").response
  }

  /// The file from the cache when unchanged on disk, otherwise read anew.
  private func load(_ path: String, info: stat) -> CachedFile? {
    let device = UInt64(info.st_dev)
    let inode = UInt64(info.st_ino)
    let size = Int(info.st_size)
    let modified = Int(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int(info.st_mtim.tv_nsec)
    if let cached = cache.withLock({ $0[path] }), cached.device == device, cached.inode == inode,
      cached.size == size, cached.modified == modified
    {
      return cached
    }
    guard size <= maxFileBytes, let bytes = Self.read(path, size: size) else { return nil }
    let file = CachedFile(
      device: device, inode: inode, size: size, modified: modified, bytes: bytes,
      etag: "\"" + Self.fingerprint(bytes) + "\"", contentType: ContentTypes.forFile(path))
    cache.withLock { $0[path] = file }
    return file
  }

  private static func read(_ path: String, size: Int) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes = [UInt8](repeating: 0, count: size)
    var offset = 0
    while offset < size {
      let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + offset, size - offset) }
      if n < 0, errno == EINTR { continue }
      guard n > 0 else { return nil }
      offset += n
    }
    return bytes
  }

  /// A 64-bit FNV-1a digest of the content, in hex: identical bytes, identical ETag.
  static func fingerprint(_ bytes: [UInt8]) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash ^= UInt64(byte)
      hash &*= 0x100_0000_01b3
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex + "-" + String(bytes.count, radix: 16)
  }

  /// RFC 9110 §13.1.2: weak comparison against a list of entity tags, or `*`.
  static func matches(_ condition: String, etag: String) -> Bool {
    let target = etag.hasPrefix("W/") ? String(etag.dropFirst(2)) : etag
    for candidate in condition.split(separator: ",") {
      let trimmed = candidate.trimmingASCIISpaces()
      if trimmed == "*" { return true }
      let tag = trimmed.hasPrefix("W/") ? trimmed.dropFirst(2) : trimmed
      if tag == target { return true }
    }
    return false
  }
}
