import Glibc

/// What a worker needs from every kind of connection it owns (HTTP/1.x, HTTP/2, a TLS handshake in progress):
/// deadlines, graceful drain, and a hard close. Called only on the worker's queue.
protocol ServerConnection: AnyObject {
  /// The connection's socket.
  var fd: Int32 { get }
  /// The worker whose queue and poller the connection lives on.
  var worker: Worker { get }
  /// The server that counts open connections.
  var server: HTTPServer { get }
  func checkDeadline(now: UInt64)
  func beginDrain()
  func close()
}

extension ServerConnection {
  /// Closes the socket (through its events when they watch it) and takes the connection off its worker's
  /// books and the server's count: the end of every kind of connection.
  func release(_ events: SocketEvents?) {
    if let events {
      events.close()
    } else {
      Glibc.close(fd)
    }
    worker.connections[ObjectIdentifier(self)] = nil
    server.connectionClosed()
  }
}
