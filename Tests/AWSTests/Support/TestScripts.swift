/// Python helpers the harness writes to temporary files and runs (kept in Swift so SwiftPM needs no resources).
enum TestScripts {
  /// Runs moto_server and stops it when the test process closes our stdin or terminates us.
  static let motoWrapper = #"""
    import os, signal, subprocess, sys, threading
    moto, port = sys.argv[1], sys.argv[2]
    child = subprocess.Popen([moto, "-H", "127.0.0.1", "-p", port])
    def stop(*_):
        child.terminate()
        try:
            child.wait(5)
        except Exception:
            child.kill()
        os._exit(0)
    signal.signal(signal.SIGTERM, stop)
    def watch():
        sys.stdin.read()
        stop()
    threading.Thread(target=watch, daemon=True).start()
    child.wait()
    """#
}

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
