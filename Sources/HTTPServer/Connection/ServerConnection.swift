/// What a worker needs from every kind of connection it owns (HTTP/1.x, HTTP/2, a TLS handshake in progress):
/// deadlines, graceful drain, and a hard close. Called only on the worker's queue.
protocol ServerConnection: AnyObject {
  func checkDeadline(now: UInt64)
  func beginDrain()
  func close()
}
