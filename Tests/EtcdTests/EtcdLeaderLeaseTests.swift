import Etcd
import Testing

@Suite("Leader lease deadline (pure timing on a manual monotonic clock)")
struct EtcdLeaderLeaseTests {
  @Test("Given a TTL of 10 s, when no margin is given, then the margin is 2 s (TTL/5); for 3 s it is 1 s")
  func defaultMargin() {
    #expect(EtcdLeaderLease(ttl: 10).margin == 2)
    #expect(EtcdLeaderLease(ttl: 3).margin == 1)
    #expect(EtcdLeaderLease(ttl: 3).renewalInterval == 1)
  }

  @Test(
    "Given a keepalive sent at 100 s granting 3 s, when time passes, then it is held until 102 s, not after")
  func heldUntilDeadlineMinusMargin() {
    var lease = EtcdLeaderLease(ttl: 3)
    #expect(!lease.isHeld(at: 100))
    lease.renewed(sentAt: 100, grantedTTL: 3)
    #expect(lease.isHeld(at: 100))
    #expect(lease.isHeld(at: 101.9))
    #expect(!lease.isHeld(at: 102))
    #expect(!lease.isHeld(at: 500))
    #expect(lease.secondsLeft(at: 101) == 1)
  }

  @Test("Given a held lease, when a keepalive answers TTL 0 or the lease is lost, then it is no longer held")
  func zeroTTLLosesIt() {
    var lease = EtcdLeaderLease(ttl: 10)
    lease.renewed(sentAt: 0, grantedTTL: 10)
    lease.renewed(sentAt: 1, grantedTTL: 0)
    #expect(!lease.isHeld(at: 1))
    lease.renewed(sentAt: 2, grantedTTL: 10)
    #expect(lease.isHeld(at: 9.9))
    lease.lost()
    #expect(!lease.isHeld(at: 3))
    #expect(lease.secondsLeft(at: 3) == nil)
  }

  @Test(
    "Given renewals every TTL/3, when two in a row fail, then the node still leads; the third failure ends it"
  )
  func twoFailedRenewalsAreTolerated() {
    var lease = EtcdLeaderLease(ttl: 9)  // margin 1.8 s, renewal every 3 s
    lease.renewed(sentAt: 0, grantedTTL: 9)
    #expect(lease.isHeld(at: 3))
    #expect(lease.isHeld(at: 6))
    #expect(!lease.isHeld(at: 7.2))
  }
}
