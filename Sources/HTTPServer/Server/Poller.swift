import CEPoll
import Dispatch
import Glibc

/// A worker's readiness multiplexer: one epoll instance holding the worker's connection sockets, watched by a
/// single Dispatch read source on the worker's queue.
///
/// Why not one Dispatch source per socket: on Linux every event of such a source re-arms through libdispatch's
/// manager thread (a wake-up and an `epoll_ctl` per request), and cancelling sources under heavy connection churn
/// raced with event delivery inside libdispatch ("Source finalized twice"). Here a burst of ready sockets costs one
/// Dispatch event, and a socket leaves the epoll set synchronously before its descriptor is closed.
/// Everything runs on the worker's queue.
final class Poller: @unchecked Sendable {
  let queue: DispatchQueue
  private let epfd: Int32
  private var source: DispatchSourceRead?
  private var registrations: [Int32: Registration] = [:]
  private let readyFDs = UnsafeMutablePointer<Int32>.allocate(capacity: 256)
  private let readyEvents = UnsafeMutablePointer<UInt32>.allocate(capacity: 256)

  /// The interest and sources of one descriptor.
  final class Registration {
    let fd: Int32
    var read: PolledSource?
    var write: PolledSource?
    var mask: UInt32 = 0
    var added = false
    init(fd: Int32) { self.fd = fd }
  }

  init(queue: DispatchQueue) {
    self.queue = queue
    epfd = cepoll_create()
    precondition(epfd >= 0, "epoll_create1 failed: \(errno)")
    let source = DispatchSource.makeReadSource(fileDescriptor: epfd, queue: queue)
    source.setCancelHandler { [epfd] in Glibc.close(epfd) }
    source.setEventHandler { [weak self] in self?.poll() }
    source.resume()
    self.source = source
  }

  deinit {
    source?.cancel()
    readyFDs.deallocate()
    readyEvents.deallocate()
  }

  /// A read source for `fd`, created suspended (call `resume()`), like `DispatchSource.makeReadSource`.
  func makeReadSource(fileDescriptor fd: Int32) -> PolledSource {
    makeSource(.read, fileDescriptor: fd)
  }

  /// A write source for `fd`, created suspended (call `resume()`).
  func makeWriteSource(fileDescriptor fd: Int32) -> PolledSource {
    makeSource(.write, fileDescriptor: fd)
  }

  /// A source of `kind` for `fd`, registered in the descriptor's read or write slot.
  private func makeSource(_ kind: PolledSource.Kind, fileDescriptor fd: Int32) -> PolledSource {
    let registration = registrations[fd] ?? Registration(fd: fd)
    registrations[fd] = registration
    let source = PolledSource(kind: kind, registration: registration, poller: self)
    switch kind {
    case .read: registration.read = source
    case .write: registration.write = source
    }
    return source
  }

  /// Recomputes a descriptor's interest from its active sources; removes it when it has none.
  func update(_ registration: Registration) {
    if registration.read == nil && registration.write == nil {
      if registration.added { _ = cepoll_remove(epfd, registration.fd) }
      registration.added = false
      if registrations[registration.fd] === registration { registrations[registration.fd] = nil }
      return
    }
    var mask: UInt32 = 0
    if registration.read?.isActive == true { mask |= cepoll_in | cepoll_rdhup }
    if registration.write?.isActive == true { mask |= cepoll_out }
    // No interest: edge-triggered so a pending hang-up is reported once instead of on every wait.
    if mask == 0 { mask = cepoll_et }
    if registration.added && mask == registration.mask { return }
    if cepoll_set(epfd, registration.fd, mask, registration.added ? 0 : 1) == 0 {
      registration.added = true
      registration.mask = mask
    }
  }

  /// Delivers every ready event, in batches of up to 256.
  private func poll() {
    while true {
      let count = Int(cepoll_wait(epfd, readyFDs, readyEvents, 256, 0))
      guard count > 0 else { return }
      for i in 0..<count {
        let fd = readyFDs[i]
        let events = readyEvents[i]
        guard let registration = registrations[fd] else { continue }
        let failed = events & (cepoll_hup | cepoll_err) != 0
        if events & cepoll_out != 0 || failed, let write = registration.write, write.isActive {
          write.fire()
        }
        if events & (cepoll_in | cepoll_rdhup) != 0 || failed, registrations[fd] === registration,
          let read = registration.read, read.isActive
        {
          read.fire()
        }
      }
      if count < 256 { return }
    }
  }
}

/// A read or write readiness source on a `Poller`: a handler, suspend/resume (created suspended), and cancel
/// (the descriptor leaves the epoll set at once when its last source is cancelled).
final class PolledSource {
  enum Kind { case read, write }

  let kind: Kind
  let registration: Poller.Registration
  let poller: Poller
  private var eventHandler: (@Sendable () -> Void)?
  private var suspendCount = 1
  private var cancelled = false

  init(kind: Kind, registration: Poller.Registration, poller: Poller) {
    self.kind = kind
    self.registration = registration
    self.poller = poller
  }

  var isActive: Bool { !cancelled && suspendCount == 0 }

  func setEventHandler(handler: @escaping @Sendable () -> Void) { eventHandler = handler }

  func resume() {
    suspendCount -= 1
    precondition(suspendCount >= 0, "PolledSource over-resumed")
    poller.update(registration)
  }

  func suspend() {
    suspendCount += 1
    poller.update(registration)
  }

  func cancel() {
    guard !cancelled else { return }
    cancelled = true
    switch kind {
    case .read: if registration.read === self { registration.read = nil }
    case .write: if registration.write === self { registration.write = nil }
    }
    poller.update(registration)
    eventHandler = nil
  }

  func fire() { eventHandler?() }
}
