import CMalloc
import HTTPServer
import Switchboard
import Synchronization

/// `GET /metrics`: the Prometheus text exposition of one Switchboard instance.
public enum MetricsRoutes {
  /// Up to this size the exposition is sent whole with a Content-Length; a larger one (about 2.8 KB per probe
  /// target, 28 MB at 10,000) is streamed from the rendered buffers in slices of `sliceBytes`, so the server
  /// never holds a second copy of it, and the heap's free pages are handed back to the system afterwards.
  public static let wholeBodyLimit = 1 << 20
  static let sliceBytes = 256 << 10

  /// Registers the route for viewers (and higher roles), checked by `access`.
  public static func register(in router: inout Router, metrics: SwitchboardMetrics, access: APIAccess) {
    router.on(
      .GET, "/metrics", guard: access.routeGuard(.viewer),
      async: { _ in
        let parts = await metrics.renderParts()
        let size = parts.reduce(0) { $0 + $1.count }
        var response: Response
        if size <= wholeBodyLimit {
          response = Response(contentType: SwitchboardMetrics.contentType, bytes: Array(parts.joined()))
        } else {
          let pending = Mutex(parts)
          response = Response(
            status: .ok,
            body: .stream { writer in
              try await stream(
                pending.withLock { parts in
                  defer { parts = [] }; return parts
                }, to: writer)
            })
          response.headers.add(name: "Content-Type", value: SwitchboardMetrics.contentType)
        }
        response.headers.add(name: "Cache-Control", value: "no-store")
        return response
      })
  }

  /// Writes `parts` (their last reference) in slices of at most `sliceBytes`, then frees them and returns the
  /// freed memory to the system.
  static func stream(_ parts: consuming [[UInt8]], to writer: any ResponseBodyWriter) async throws {
    var parts = parts
    defer {
      parts = []
      trimHeap()
    }
    for part in parts {
      var start = 0
      while start < part.count {
        let end = min(part.count, start + sliceBytes)
        try await writer.write(Array(part[start..<end]))
        start = end
      }
    }
  }

  /// Hands free heap pages back to the system (glibc keeps them in its arenas otherwise: a 28 MB exposition
  /// left about 25 MB of RSS behind per scrape at 10,000 targets).
  static func trimHeap() {
    _ = cmalloc_trim()
  }
}
