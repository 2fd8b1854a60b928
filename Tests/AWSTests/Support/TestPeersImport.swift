// The moto_server harness and child-process helpers shared with the other peer-testing targets.
@_exported import TestPeers
