import Configuration
import Switchboard
import Testing

@Suite("Restart-only storage settings")
struct RestartOnlyStorageTests {
  @Test(
    "Given a running SQLite store, when the configuration moves it to etcd, then the reload names the storage as restart-only"
  )
  func storageBackendIsRestartOnly() {
    let old = SwitchboardConfig(regions: [], services: [])
    var new = old
    new.storageBackend = .etcd
    new.etcd = EtcdSettings(endpoints: ["http://127.0.0.1:2379"])
    var moved = new
    moved.etcd = EtcdSettings(endpoints: ["http://127.0.0.1:2379"], prefix: "/other/")

    #expect(RestartOnlySettings.changed(from: old, to: new) == ["storage.backend", "storage (etcd)"])
    #expect(RestartOnlySettings.changed(from: new, to: moved) == ["storage (etcd)"])
    #expect(RestartOnlySettings.changed(from: new, to: new).isEmpty)
  }
}
