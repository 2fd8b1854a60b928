/// Python helpers the harness writes to temporary files and runs (kept in Swift so SwiftPM needs no resources).
/// (The moto_server wrapper is shared: `MotoScripts.motoWrapper` in TestPeers.)
enum TestScripts {}

extension TestScripts {
  /// Reads requests as JSON on stdin and prints botocore's SigV4 Authorization header for each.
  static let botocoreSigner = #"""
    import json, sys
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    out = []
    for case in json.load(sys.stdin):
        creds = Credentials(case["accessKey"], case["secretKey"], case.get("token"))
        request = AWSRequest(method=case["method"], url=case["url"], data=case["body"].encode("utf-8"))
        for name, value in case["headers"]:
            request.headers[name] = value
        auth = SigV4Auth(creds, case["service"], case["region"])
        request.context["timestamp"] = case["amzDate"]
        canonical = auth.canonical_request(request)
        string_to_sign = auth.string_to_sign(request, canonical)
        signature = auth.signature(string_to_sign, request)
        signed = ";".join(auth.signed_headers(auth.headers_to_sign(request)).split(";"))
        scope = "%s/%s/%s/aws4_request" % (case["amzDate"][:8], case["region"], case["service"])
        out.append("AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s"
                   % (case["accessKey"], scope, signed, signature))
    json.dump(out, sys.stdout)
    """#
}

extension TestScripts {
  /// A local stand-in for the ECS container credentials endpoint and EC2 IMDSv2, on 127.0.0.1.
  /// Writes its port to argv[1]. Each credentials document has a new key id (…1, …2, …).
  static let credentialsServer = #"""
    import datetime, json, os, sys, threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    served = {"n": 0}
    lock = threading.Lock()
    def document(prefix):
        with lock:
            served["n"] += 1
            n = served["n"]
        expiry = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
        return json.dumps({"Code": "Success", "AccessKeyId": "%s%d" % (prefix, n),
                           "SecretAccessKey": "secret-%d" % n, "Token": "token-%d" % n,
                           "Expiration": expiry.strftime("%Y-%m-%dT%H:%M:%SZ")})
    class Handler(BaseHTTPRequestHandler):
        def answer(self, status, body):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        def do_PUT(self):
            if self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
                return self.answer(200, "imds-session-token")
            self.answer(400, "bad token request")
        def do_GET(self):
            if self.path == "/ecs/credentials":
                if self.headers.get("Authorization") != "ecs-auth-token":
                    return self.answer(401, "unauthorized")
                return self.answer(200, document("ASIAECS"))
            if self.path.startswith("/latest/meta-data/iam/security-credentials/"):
                if self.headers.get("X-aws-ec2-metadata-token") != "imds-session-token":
                    return self.answer(401, "IMDSv2 token required")
                if self.path == "/latest/meta-data/iam/security-credentials/":
                    return self.answer(200, "switchboard-role\n")
                if self.path == "/latest/meta-data/iam/security-credentials/switchboard-role":
                    return self.answer(200, document("ASIAIMDS"))
            self.answer(404, "not found")
        def log_message(self, *args):
            pass
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    server.serve_forever()
    """#
}

extension TestScripts {
  /// A byte-forwarding HTTP/1.1 proxy on 127.0.0.1 in front of moto that injects faults.
  ///
  /// argv: port-file upstream-port plan-file log-file. The plan file holds one fault per line, consumed by
  /// successive requests whose request line contains the line's filter (`FAULT[ FILTER]`):
  ///   throttle:CODE  answer 400 with that error code (Throttling, PriorRequestNotComplete, ...)
  ///   status:N       answer HTTP N with a ServiceUnavailable body
  ///   reset          close the client connection with a TCP reset, forwarding nothing
  ///   delay:S        wait S seconds, then forward
  ///   stall:S        hold the request S seconds without forwarding, then reset
  ///   lost           forward to moto, then reset the client instead of answering (the answer is lost)
  ///   rewrite:A=B    forward, then replace text A by B in the answer (e.g. INSYNC=PENDING)
  /// Requests without a matching fault are forwarded unchanged. Every request is logged as
  /// `FORWARD|FAULT kind METHOD PATH`.
  static let faultProxy = #"""
    import os, socket, struct, sys, threading, time
    port_file, upstream_port, plan_file, log_file = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    lock = threading.Lock()
    def log(line):
        with lock:
            with open(log_file, "a") as f:
                f.write(line + "\n")
    def take_fault(request_line):
        with lock:
            try:
                lines = [l for l in open(plan_file).read().splitlines() if l.strip()]
            except FileNotFoundError:
                return None
            for i, line in enumerate(lines):
                parts = line.split(" ", 1)
                if len(parts) == 1 or parts[1] in request_line:
                    del lines[i]
                    with open(plan_file, "w") as f:
                        f.write("\n".join(lines) + ("\n" if lines else ""))
                    return parts[0]
            return None
    def read_request(conn):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(rest) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            rest += chunk
        return head + b"\r\n\r\n" + rest
    def reset(conn):
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()
    def forward(raw):
        up = socket.create_connection(("127.0.0.1", upstream_port))
        up.sendall(raw)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = up.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        length = None
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while length is None or len(rest) < length:
            chunk = up.recv(65536)
            if not chunk:
                break
            rest += chunk
        up.close()
        return head + b"\r\n\r\n" + rest
    def error(status, code):
        body = ("<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>injected by the fault proxy"
                "</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>" % code).encode()
        reason = {400: "Bad Request", 429: "Too Many Requests", 500: "Internal Server Error",
                  503: "Service Unavailable"}.get(status, "Error")
        return (("HTTP/1.1 %d %s\r\nContent-Type: text/xml\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                 % (status, reason, len(body))).encode() + body)
    def handle(conn):
        try:
            raw = read_request(conn)
            if raw is None:
                conn.close()
                return
            request_line = raw.split(b"\r\n", 1)[0].decode("latin-1")
            method, path = request_line.split(" ")[0], request_line.split(" ")[1]
            body = raw.partition(b"\r\n\r\n")[2].decode("latin-1")
            if body.startswith("Action="):
                path += " " + body.split("&", 1)[0]
            fault = take_fault(request_line + " " + raw.decode("latin-1"))
            if fault is None:
                log("FORWARD - %s %s" % (method, path))
                conn.sendall(forward(raw))
                conn.close()
                return
            log("FAULT %s %s %s" % (fault, method, path))
            kind, _, arg = fault.partition(":")
            if kind == "throttle":
                conn.sendall(error(400, arg))
                conn.close()
            elif kind == "status":
                conn.sendall(error(int(arg), "ServiceUnavailable"))
                conn.close()
            elif kind == "reset":
                reset(conn)
            elif kind == "delay":
                time.sleep(float(arg))
                log("FORWARD delayed %s %s" % (method, path))
                conn.sendall(forward(raw))
                conn.close()
            elif kind == "stall":
                time.sleep(float(arg))
                reset(conn)
            elif kind == "rewrite":
                old, _, new = arg.partition("=")
                answer = forward(raw)
                head, _, body = answer.partition(b"\r\n\r\n")
                body = body.replace(old.encode(), new.encode())
                lines = [l for l in head.split(b"\r\n") if not l.lower().startswith(b"content-length:")]
                lines.append(b"Content-Length: %d" % len(body))
                log("FORWARD rewritten %s %s" % (method, path))
                conn.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + body)
                conn.close()
            elif kind == "lost":
                forward(raw)
                log("FORWARD lost %s %s" % (method, path))
                reset(conn)
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
