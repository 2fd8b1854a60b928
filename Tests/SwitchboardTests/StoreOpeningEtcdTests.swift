import Configuration
import SwitchboardApplication
import Testing

@Suite("Opening the etcd store from a configuration")
struct EtcdStoreOpeningTests {
  @Test(
    "Given storage.tls with a CA file that does not exist, when the etcd store is opened, then it is refused naming the key"
  )
  func missingTLSFileRefused() {
    var config = SwitchboardConfig(regions: [], services: [])
    config.storageBackend = .etcd
    config.etcd = EtcdSettings(
      endpoints: ["https://127.0.0.1:2379"], tls: EtcdTLSSettings(caFile: "/nonexistent/etcd/ca.pem"))

    #expect(throws: StoreOpeningError.self) { try StoreOpening.open(config: config) }
    do {
      _ = try StoreOpening.open(config: config)
    } catch {
      #expect("\(error)".contains("`storage.tls.ca_file`"))
      #expect("\(error)".contains("/nonexistent/etcd/ca.pem does not exist"))
    }
    config.etcd?.tls = nil
    #expect(throws: Never.self) { try StoreOpening.open(config: config) }
  }
}
