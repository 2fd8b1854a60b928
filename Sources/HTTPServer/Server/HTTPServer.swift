import Dispatch
import Glibc
import Logging
import Sockets
import Synchronization

/// Switchboard's HTTP server: non-blocking sockets driven by Dispatch sources, connections spread over
/// one serial queue per core. It knows routes and bytes, nothing about failover.
public final class HTTPServer: Sendable {
  public let configuration: ServerConfiguration
  /// Routing and the built-in answers, shared by HTTP/1.1 and HTTP/2.
  let dispatcher: RequestDispatcher
  let observer: (any ServerObserver)?
  let logger: Logger

  private let workers: [Worker]
  private let acceptQueue = DispatchQueue(label: "switchboard.http.accept")
  private let openConnections = Atomic<Int>(0)
  private let state = Mutex(State())
  private let tlsContext = Mutex<TLSContext?>(nil)

  private struct State {
    var listeners: [Listener] = []
    var boundAddresses: [ListenAddress] = []
    var boundTLSAddresses: [ListenAddress] = []
    var running = false
    var draining = false
    var stopped = false
    var stopWaiters: [CheckedContinuation<Void, Never>] = []
    var nextWorker = 0
  }

  public init(
    configuration: ServerConfiguration, router: Router, observer: (any ServerObserver)? = nil,
    logger: Logger = Logger(label: "switchboard.http")
  ) {
    self.configuration = configuration
    dispatcher = RequestDispatcher(router: router, logger: logger)
    self.observer = observer
    self.logger = logger
    workers = (0..<configuration.workerCount).map { Worker(index: $0) }
  }

  /// The addresses being listened on, with the real ports (useful when port 0 was asked for).
  public var boundAddresses: [ListenAddress] { state.withLock { $0.boundAddresses } }

  /// The HTTPS addresses being listened on, with the real ports.
  public var boundTLSAddresses: [ListenAddress] { state.withLock { $0.boundTLSAddresses } }

  /// Loads the certificate and key again (after renewal, on SIGHUP): new connections get the new ones, open
  /// connections keep theirs. On failure the current certificate stays in use.
  public func reloadTLSCertificates() throws(TLSError) {
    guard let tls = configuration.tls else { return }
    let context = try TLSContext(certificatePath: tls.certificatePath, keyPath: tls.keyPath)
    tlsContext.withLock { $0 = context }
    logger.info("Reloaded the TLS certificate from \(tls.certificatePath).")
  }

  /// Connections currently open.
  public var connectionCount: Int { openConnections.load(ordering: .relaxed) }

  /// Whether a graceful stop has begun (streaming producers may end early).
  public var isShuttingDown: Bool { state.withLock { $0.draining } }

  /// Binds every listen address (and loads the TLS certificate, if any) and starts accepting connections.
  public func start() throws(StartError) {
    signal(SIGPIPE, SIG_IGN)
    if let tls = configuration.tls {
      do throws(TLSError) {
        let context = try TLSContext(certificatePath: tls.certificatePath, keyPath: tls.keyPath)
        tlsContext.withLock { $0 = context }
      } catch {
        throw .tls(error)
      }
    }
    var listeners: [Listener] = []
    do {
      for address in configuration.listen { listeners.append(try Listener(address: address)) }
      for address in configuration.tls?.listen ?? [] {
        listeners.append(try Listener(address: address, secure: true))
      }
    } catch {
      for listener in listeners { Glibc.close(listener.fd) }
      throw .address(error)
    }
    for listener in listeners {
      let source = DispatchSource.makeReadSource(fileDescriptor: listener.fd, queue: acceptQueue)
      source.setEventHandler { [weak self] in self?.acceptConnections(on: listener) }
      source.setCancelHandler { Glibc.close(listener.fd) }
      listener.source = source
      source.resume()
    }
    let sweep = Self.sweepInterval(configuration)
    for worker in workers { worker.queue.async { worker.startSweeping(every: sweep) } }
    state.withLock {
      $0.listeners = listeners
      $0.boundAddresses = listeners.filter { !$0.secure }.map(\.boundAddress)
      $0.boundTLSAddresses = listeners.filter(\.secure).map(\.boundAddress)
      $0.running = true
    }
    for listener in listeners {
      logger.info("Listening on \(listener.secure ? "https" : "http")://\(listener.boundAddress)")
    }
  }

  static func sweepInterval(_ configuration: ServerConfiguration) -> Duration {
    let shortest = [
      configuration.headerReadTimeout, configuration.idleTimeout, configuration.bodyReadTimeout,
    ]
    .min()!
    return min(max(shortest / 4, .milliseconds(50)), .seconds(1))
  }

  private func acceptConnections(on listener: Listener) {
    for _ in 0..<64 {
      var storage = sockaddr_storage()
      var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
      let fd = withUnsafeMutablePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          accept(listener.fd, $0, &length)
        }
      }
      if fd < 0 {
        if errno == EINTR { continue }
        if errno == EMFILE || errno == ENFILE {
          logger.error("Cannot accept connections: out of file descriptors.")
        }
        return
      }
      SocketOptions.setNonBlockingCloseOnExec(fd)
      if openConnections.load(ordering: .relaxed) >= configuration.maxConnections {
        rejectBusy(fd)
        continue
      }
      openConnections.add(1, ordering: .relaxed)
      SocketOptions.setNoDelay(fd)
      let worker = state.withLock { state -> Worker in
        state.nextWorker = (state.nextWorker + 1) % workers.count
        return workers[state.nextWorker]
      }
      let remote = SocketAddressText.describe(storage)
      if listener.secure {
        guard let stream = tlsContext.withLock({ $0 })?.makeStream(fd: fd) else {
          Glibc.close(fd)
          connectionClosed()
          continue
        }
        worker.queue.async {
          let handshake = TLSHandshake(
            fd: fd, stream: stream, worker: worker, server: self, remoteAddress: remote)
          worker.connections[ObjectIdentifier(handshake)] = handshake
          if self.isShuttingDown { handshake.close() } else { handshake.start() }
        }
        continue
      }
      worker.queue.async {
        let connection = HTTP1Connection(fd: fd, worker: worker, server: self, remoteAddress: remote)
        worker.connections[ObjectIdentifier(connection)] = connection
        if self.isShuttingDown {
          connection.close()
        } else {
          connection.start()
        }
      }
    }
  }

  private static let busyResponse: [UInt8] = {
    let body = Array(
      JSONValue.object([
        ("type", .string("about:blank")), ("title", .string("Service Unavailable")), ("status", .number(503)),
        ("detail", .string("The server has too many open connections; retry shortly.")),
      ]).serialized.utf8)
    return Array(
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\nRetry-After: 1\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        .utf8) + body
  }()

  /// Over the connection limit: a best-effort 503 and close.
  private func rejectBusy(_ fd: Int32) {
    SocketOptions.sendAndShutdown(fd, Self.busyResponse)
    Glibc.close(fd)
  }

  func connectionClosed() {
    openConnections.subtract(1, ordering: .relaxed)
  }

  /// Stops gracefully: no new connections, idle ones closed, in-flight requests finished; whatever is still
  /// open after `gracePeriod` is closed hard.
  public func shutdown(gracePeriod: Duration = .seconds(10)) async {
    let listeners = state.withLock { state -> [Listener] in
      guard !state.draining else { return [] }
      state.draining = true
      return state.listeners
    }
    acceptQueue.sync { for listener in listeners { listener.close() } }
    for worker in workers {
      worker.queue.async { for connection in Array(worker.connections.values) { connection.beginDrain() } }
    }
    let deadline = ContinuousClock.now + gracePeriod
    while openConnections.load(ordering: .relaxed) > 0, ContinuousClock.now < deadline {
      try? await Task.sleep(for: .milliseconds(10))
    }
    if openConnections.load(ordering: .relaxed) > 0 {
      logger.warning(
        "Closing \(openConnections.load(ordering: .relaxed)) connections at the shutdown deadline.")
      for worker in workers {
        worker.queue.sync { for connection in Array(worker.connections.values) { connection.close() } }
      }
    }
    for worker in workers { worker.queue.sync { worker.stopSweeping() } }
    let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
      state.stopped = true
      state.running = false
      let waiters = state.stopWaiters
      state.stopWaiters = []
      return waiters
    }
    for waiter in waiters { waiter.resume() }
  }

  /// Returns once `shutdown` has finished.
  public func waitUntilStopped() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let done = state.withLock { state -> Bool in
        if state.stopped { return true }
        state.stopWaiters.append(continuation)
        return false
      }
      if done { continuation.resume() }
    }
  }
}

/// An error that knows the problem document it should be answered with.
public protocol ProblemConvertible: Error {
  var problem: ProblemDetails { get }
}
