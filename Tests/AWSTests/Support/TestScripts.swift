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
