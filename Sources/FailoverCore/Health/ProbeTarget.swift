/// One periodic probe: the signal it speaks for and how to probe.
public struct ProbeTarget: Sendable, Hashable {
  /// The signal.
  public var key: SignalKey
  /// The probe's URL, interval, timeouts and expectations.
  public var spec: HTTPProbeSpec

  /// A probe of `spec` reporting for `key`.
  public init(key: SignalKey, spec: HTTPProbeSpec) {
    self.key = key
    self.spec = spec
  }
}
