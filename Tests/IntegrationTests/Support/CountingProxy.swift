import Foundation

/// A byte-forwarding proxy between `switchboard serve` and moto that delays every request (so a workflow spans
/// seconds and a kill can land inside it) and logs each one twice: `ARRIVE` when it was read from the client,
/// `FORWARD` with moto's status once moto answered (502 when moto could not be reached or answered nothing
/// whole). A request whose client died after sending it is still forwarded, as a request already on the network
/// would be; one whose client died while sending it (its body shorter than its Content-Length) is logged
/// `ABANDON` and not forwarded, since a server never acts on a request it did not receive whole.
final class CountingProxy: Sendable {
  let child: ChildProcess
  let port: Int
  private let logPath: String

  init(upstreamPort: Int, delayMilliseconds: ClosedRange<Int>) async throws {
    let directory = try ChildProcess.temporaryDirectory("counting-proxy")
    logPath = directory + "/requests.log"
    let script = try ChildProcess.script("counting_proxy.py", Self.script)
    child = try ChildProcess(
      executable: "/usr/bin/env",
      arguments: [
        "python3", script, directory + "/port", String(upstreamPort), logPath,
        String(delayMilliseconds.lowerBound), String(delayMilliseconds.upperBound),
      ],
      logPath: directory + "/proxy.out")
    port = try await ChildProcess.waitForPortFile(directory + "/port", process: child)
  }

  /// `http://127.0.0.1:PORT`.
  var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

  /// Every log line so far (`ARRIVE n METHOD PATH`, `FORWARD n METHOD PATH STATUS` or `ABANDON n METHOD PATH`).
  var lines: [String] {
    ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
  }

  /// Requests moto answered, as `METHOD PATH STATUS`.
  var forwarded: [String] {
    lines.filter { $0.hasPrefix("FORWARD ") }.map {
      $0.split(separator: " ").dropFirst(2).joined(separator: " ")
    }
  }

  /// Requests read from a client but neither answered by moto nor abandoned.
  var inFlight: Int {
    let all = lines
    let ended = all.filter { $0.hasPrefix("FORWARD ") || $0.hasPrefix("ABANDON ") }.count
    return all.filter { $0.hasPrefix("ARRIVE ") }.count - ended
  }

  /// Waits (bounded) until every request that arrived has reached moto.
  func drain(seconds: Double = 40) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while inFlight > 0 && Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
    guard inFlight == 0 else {
      let tail = lines.suffix(6).joined(separator: "\n")
      throw HarnessError(
        "the proxy still had \(inFlight) request(s) in flight after \(seconds) s; its log ends:\n\(tail)")
    }
  }

  func stop() { child.stop() }

  static let script = #"""
    import os, random, socket, sys, threading, time
    port_file, upstream_port, log_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    low, high = int(sys.argv[4]) / 1000.0, int(sys.argv[5]) / 1000.0
    lock = threading.Lock()
    counter = [0]
    def log(line):
        with lock:
            with open(log_file, "a") as f:
                f.write(line + "\n")
                f.flush()
    # Returns (head, body, whole) or None when the peer sent no complete head; whole is False when the
    # peer closed before the body its Content-Length announced.
    def read_message(sock, until_eof_without_length):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        length = None
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        if length is None and not until_eof_without_length:
            length = 0
        while length is None or len(rest) < length:
            chunk = sock.recv(65536)
            if not chunk:
                return head, rest, length is None
            rest += chunk
        return head, rest, True
    def with_header(head, name, value):
        lines = [l for l in head.split(b"\r\n") if not l.lower().startswith(name.lower() + b":")]
        lines.append(name + b": " + value)
        return b"\r\n".join(lines)
    def handle(conn):
        try:
            message = read_message(conn, False)
            if message is None:
                conn.close()
                return
            head, body, whole = message
            request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
            method, path = request_line.split(" ")[0], request_line.split(" ")[1]
            if body.startswith(b"Action="):
                path += " " + body.split(b"&", 1)[0].decode("latin-1")
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"x-amz-target":
                    path += " Target=" + value.strip().decode("latin-1")
            with lock:
                counter[0] += 1
                number = counter[0]
            log("ARRIVE %d %s %s" % (number, method, path))
            if not whole:
                log("ABANDON %d %s %s" % (number, method, path))
                conn.close()
                return
            time.sleep(random.uniform(low, high))
            answer = None
            try:
                up = socket.create_connection(("127.0.0.1", upstream_port), timeout=30)
                up.sendall(with_header(head, b"Connection", b"close") + b"\r\n\r\n" + body)
                answer = read_message(up, True)
                up.close()
            except Exception:
                answer = None
            if answer is None or not answer[2] or len(answer[0].split(b" ", 2)) < 2:
                answer = (b"HTTP/1.1 502 Bad Gateway", b"", True)
            answer_head, answer_body, _ = answer
            status = answer_head.split(b" ", 2)[1].decode("latin-1")
            log("FORWARD %d %s %s %s" % (number, method, path, status))
            answer_head = with_header(answer_head, b"Connection", b"close")
            answer_head = with_header(answer_head, b"Content-Length", str(len(answer_body)).encode())
            conn.sendall(answer_head + b"\r\n\r\n" + answer_body)
            conn.close()
        except OSError:
            pass
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.getsockname()[1]))
    os.rename(port_file + ".tmp", port_file)
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    while True:
        conn, _ = server.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()
    """#
}
