import Glibc
import Sockets

/// Why a probe could not open its socket, in words: running out of file descriptors is a probe failure of its
/// own kind (named, with what to change), never a crash.
package enum ProbeSocketFailure {
  /// The reason for `socket(2)` failing with `code`.
  package static func reason(_ code: Int32) -> String {
    switch code {
    case EMFILE:
      "out of file descriptors (EMFILE: this process's limit is reached; raise `ulimit -n` or lower "
        + "probes.max_in_flight)"
    case ENFILE: "out of file descriptors (ENFILE: the system-wide limit is reached)"
    default: "cannot open a socket: \(SocketOptions.errorText(code))"
    }
  }
}
