/// Runs the periodic HTTP(S) probes of the configured signals and reports what each attempt observed: the
/// engine hands it the targets (and new ones after a reload) and drains the observations into its inbox.
/// The HTTP prober (`Probing`) implements it; tests may pass any fake.
public protocol Prober: Sendable {
  /// Starts probing `targets` on their schedule; every observation goes to `observe` (called on the prober's
  /// own queues: keep it short). Calling it again replaces the callback and the targets.
  func start(_ targets: [ProbeTarget], observe: @escaping @Sendable (Observation) -> Void)
  /// Sets the probes to run: new ones start at their schedule offset, unchanged ones keep their rhythm,
  /// missing ones stop.
  func update(_ targets: [ProbeTarget])
  /// Stops every periodic probe (probes in flight finish and may still report).
  func stop()
}
