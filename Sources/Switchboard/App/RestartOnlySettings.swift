import Configuration

/// The settings a running `serve` cannot change on SIGHUP (listeners, the store, AWS, notification channels):
/// a reload keeps the running ones and says which changed, so the operator knows to restart.
public enum RestartOnlySettings {
  /// The names of the restart-only settings that differ between two configurations, in file order.
  public static func changed(from old: SwitchboardConfig, to new: SwitchboardConfig) -> [String] {
    var names: [String] = []
    if old.listen != new.listen { names.append("listen") }
    if old.tls != new.tls { names.append("tls") }
    if old.publicDirectory != new.publicDirectory { names.append("public_dir") }
    if old.storagePath != new.storagePath { names.append("storage.path") }
    if old.storageBackend != new.storageBackend { names.append("storage.backend") }
    if old.etcd != new.etcd { names.append("storage (etcd)") }
    if old.aws != new.aws { names.append("aws") }
    if old.notifications != new.notifications { names.append("notifications") }
    return names
  }
}
