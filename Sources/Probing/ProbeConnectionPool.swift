/// A lane's idle keep-alive connections, by origin: a check takes the most recently used one (the warmest, so
/// the others age out), puts it back after a complete response, and the lane closes the oldest when it needs the
/// slot for another origin or when one sat idle too long. Idle connections count towards `probes.max_in_flight`.
struct ProbeConnectionPool {
  /// How long a connection may sit unused before the lane closes it (shorter than most servers' idle limits,
  /// so usually the prober closes first).
  static let idleLimitNanoseconds: UInt64 = 30_000_000_000

  /// Idle connections kept per origin on one lane: enough for the probes of an origin that start together; a
  /// connection finishing while its origin has this many idle closes instead (a burst never stays open).
  static let maxIdlePerOrigin = 256

  private var idle: [ProbeOrigin: [ProbeConnection]] = [:]
  /// Idle connections over all origins.
  private(set) var count = 0

  /// Whether an idle connection to `origin` is waiting.
  func has(_ origin: ProbeOrigin) -> Bool { idle[origin]?.isEmpty == false }

  /// Whether another idle connection to `origin` may be kept.
  func hasRoom(for origin: ProbeOrigin) -> Bool {
    (idle[origin]?.count ?? 0) < ProbeConnectionPool.maxIdlePerOrigin
  }

  /// The most recently used idle connection to `origin`, taken out of the pool.
  mutating func take(_ origin: ProbeOrigin) -> ProbeConnection? {
    guard let connection = idle[origin]?.popLast() else { return nil }
    count -= 1
    return connection
  }

  /// Puts a connection back (after a complete response).
  mutating func put(_ connection: ProbeConnection) {
    idle[connection.origin, default: []].append(connection)
    count += 1
  }

  /// Takes a given connection out (it closed while idle); false when it was not in the pool.
  @discardableResult
  mutating func remove(_ connection: ProbeConnection) -> Bool {
    guard let index = idle[connection.origin]?.firstIndex(where: { $0 === connection }) else { return false }
    idle[connection.origin]?.remove(at: index)
    count -= 1
    return true
  }

  /// The least recently used connection of the fullest origin, taken out (to be closed for a slot).
  mutating func takeOldest() -> ProbeConnection? {
    guard let origin = idle.max(by: { $0.value.count < $1.value.count })?.key,
      idle[origin]?.isEmpty == false
    else { return nil }
    count -= 1
    return idle[origin]?.removeFirst()
  }

  /// Takes out every connection idle since before `cutoff` (uptime nanoseconds).
  mutating func takeExpired(before cutoff: UInt64) -> [ProbeConnection] {
    var expired: [ProbeConnection] = []
    for origin in Array(idle.keys) {
      guard let connections = idle[origin], connections.first.map({ $0.idleSince < cutoff }) == true else {
        continue
      }
      let old = connections.prefix { $0.idleSince < cutoff }
      expired += old
      idle[origin] = Array(connections.dropFirst(old.count))
      count -= old.count
    }
    return expired
  }

  /// Takes out every idle connection.
  mutating func takeAll() -> [ProbeConnection] {
    let all = idle.values.flatMap { $0 }
    idle = [:]
    count = 0
    return all
  }
}
