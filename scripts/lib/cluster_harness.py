"""Shared by scripts/soak-cluster and scripts/bench-cluster: starts, on loopback, three etcd members, moto_server
behind a counting proxy (every Route53 ChangeResourceRecordSets with its comment, which names the workflow), two
sample regions and N `switchboard serve` nodes sharing one configuration. Everything is bounded and stopped on exit.
"""
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import http.client
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ADMIN_TOKEN = "cluster-harness-admin-token-0123456789abcdef"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binary():
    """SWITCHBOARD_BIN, else the release build, else the debug build in .build."""
    explicit = os.environ.get("SWITCHBOARD_BIN")
    if explicit:
        return explicit
    for kind in ("release", "debug"):
        path = os.path.join(ROOT, ".build", kind, "switchboard")
        if os.path.exists(path):
            return path
    sys.exit("no switchboard binary: run `swift build` (or set SWITCHBOARD_BIN)")


def call(method, url, body=None, token=None, timeout=3):
    """(status, parsed JSON or text); (0, error) when nobody answers."""
    request = urllib.request.Request(url, method=method, data=body.encode() if body is not None else None)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            text = answer.read().decode()
            status = answer.status
    except urllib.error.HTTPError as error:
        text, status = error.read().decode(errors="replace"), error.code
    except Exception as error:  # refused, reset, timed out: a stopped or killed process
        return 0, str(error)
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def wait_until(predicate, seconds, step=0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


class CountingProxy:
    """Forwards every request to moto; remembers each Route53 change batch it passed (time, comment, status)."""

    def __init__(self, target_port):
        self.changes = []
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                upstream = http.client.HTTPConnection("127.0.0.1", target_port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection",)}
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
                if self.command == "POST" and re.search(r"/hostedzone/[^/]+/rrset/?$", self.path):
                    text = (body or b"").decode(errors="replace")
                    comment = re.search(r"<Comment>(.*?)</Comment>", text, re.S)
                    with proxy.lock:
                        proxy.changes.append((time.time(), comment.group(1) if comment else "", answer.status))
                self.send_response(answer.status)
                for key, value in answer.getheaders():
                    if key.lower() not in ("content-length", "transfer-encoding", "connection"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except OSError:  # the node was killed while it waited: moto has applied the request anyway
                    pass
                upstream.close()

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = forward

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def accepted(self):
        with self.lock:
            return [c for c in self.changes if c[2] == 200]


class Harness:
    """The processes of one run, in a temporary folder removed at the end (kept with KEEP=1)."""

    def __init__(self, name):
        self.work = tempfile.mkdtemp(prefix=f"switchboard-{name}-")
        self.bin = binary()
        self.children = {}
        self.etcd = []
        self.nodes = []
        self.regions = []
        self.name = name

    # -- processes
    def spawn(self, key, arguments, env=None):
        log = open(os.path.join(self.work, key + ".log"), "ab")
        environment = dict(os.environ)
        environment.update(env or {})
        process = subprocess.Popen(arguments, stdout=log, stderr=log, stdin=subprocess.DEVNULL, env=environment)
        self.children[key] = process
        return process

    def alive(self, key):
        process = self.children.get(key)
        return process is not None and process.poll() is None

    def kill(self, key, sig=signal.SIGKILL):
        process = self.children.get(key)
        if process and process.poll() is None:
            process.send_signal(sig)
            if sig == signal.SIGKILL:
                process.wait(timeout=10)

    def stop_all(self):
        for process in self.children.values():
            if process.poll() is None:
                try:
                    process.send_signal(signal.SIGCONT)
                    process.kill()
                    process.wait(timeout=10)
                except Exception:
                    pass
        if hasattr(self, "proxy"):
            self.proxy.server.shutdown()
        if os.environ.get("KEEP") != "1":
            shutil.rmtree(self.work, ignore_errors=True)
        else:
            print(f"kept {self.work}")

    # -- etcd
    def start_etcd(self):
        ports = [(free_port(), free_port()) for _ in range(3)]
        self.etcd_cluster = ",".join(f"e{i}=http://127.0.0.1:{p[1]}" for i, p in enumerate(ports))
        for i, (client, peer) in enumerate(ports):
            self.etcd.append({"name": f"e{i}", "client": client, "peer": peer})
            self.start_etcd_member(i, "new")
        for member in self.etcd:
            url = f"http://127.0.0.1:{member['client']}/health"
            if not wait_until(lambda: call("GET", url)[0] == 200, 30):
                sys.exit(f"etcd member {member['name']} did not become healthy; see {self.work}")

    def start_etcd_member(self, i, state="existing"):
        m = self.etcd[i]
        self.spawn(f"etcd{i}", [
            "etcd", "--name", m["name"], "--data-dir", os.path.join(self.work, m["name"]),
            "--listen-client-urls", f"http://127.0.0.1:{m['client']}",
            "--advertise-client-urls", f"http://127.0.0.1:{m['client']}",
            "--listen-peer-urls", f"http://127.0.0.1:{m['peer']}",
            "--initial-advertise-peer-urls", f"http://127.0.0.1:{m['peer']}",
            "--initial-cluster", self.etcd_cluster, "--initial-cluster-state", state,
            "--initial-cluster-token", self.name,
        ])

    def etcd_endpoints(self):
        return [f"http://127.0.0.1:{m['client']}" for m in self.etcd]

    def etcd_counter(self, name):
        """The sum of an etcd counter over the live members' /metrics, divided by the members reporting (each member
        applies every committed txn, so this is the cluster's count)."""
        values = []
        for i, m in enumerate(self.etcd):
            if not self.alive(f"etcd{i}"):
                continue
            status, text = call("GET", f"http://127.0.0.1:{m['client']}/metrics")
            if status != 200 or not isinstance(text, str):
                continue
            found = re.search(rf"^{name} ([0-9.e+]+)$", text, re.M)
            if found:
                values.append(float(found.group(1)))
        return max(values) if values else None

    # -- AWS
    def start_moto(self):
        port = free_port()
        self.spawn("moto", ["moto_server", "-H", "127.0.0.1", "-p", str(port)])
        if not wait_until(lambda: call("GET", f"http://127.0.0.1:{port}/moto-api/data.json")[0] == 200, 60):
            sys.exit("moto_server did not start")
        self.moto_port = port
        self.proxy = CountingProxy(port)
        self.aws_env = {
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{self.proxy.port}",
        }

    # -- sample regions
    def start_regions(self):
        for region in ("us-east-1", "us-west-2"):
            port = free_port()
            self.regions.append({"region": region, "port": port, "failing": False})
            self.spawn(f"region-{region}", [self.bin, "sample-region", "--region", region,
                                            "--listen", f"127.0.0.1:{port}"])
        for r in self.regions:
            if not wait_until(lambda: call("GET", f"http://127.0.0.1:{r['port']}/health")[0] == 200, 30):
                sys.exit(f"sample region {r['region']} did not start")

    def set_failing(self, index, failing):
        r = self.regions[index]
        call("POST", f"http://127.0.0.1:{r['port']}/" + ("simulate-failure" if failing else "recover"))
        r["failing"] = failing

    # -- configuration and nodes
    def write_config(self, backend, lease_ttl="4s", policy_extra=""):
        node_ports = [free_port() for _ in range(3)]
        self.node_ports = node_ports
        storage = (
            "storage:\n  backend: etcd\n  endpoints:\n"
            + "".join(f"    - {e}\n" for e in self.etcd_endpoints())
            + f"  prefix: /switchboard/{self.name}/\n  request_timeout: 1s\n  path: {self.work}/unused.sqlite\n"
            if backend == "etcd"
            else f"storage:\n  path: {self.work}/switchboard.sqlite\n"
        )
        signals = lambda port: (
            "        signals:\n          - type: http\n"
            f"            url: http://127.0.0.1:{port}/health\n"
            "            interval: 1\n            failure_threshold: 2\n            success_threshold: 2\n")
        text = (
            f"listen: 127.0.0.1:{node_ports[0]}\n{storage}"
            f"cluster:\n  name: {self.name}\n  lease_ttl: {lease_ttl}\n  heartbeat_interval: 10s\n"
            "aws:\n  region: us-east-1\n"
            "policy:\n  minimum_dwell: 3s\n  max_automatic_failovers_per_hour: 1000\n"
            f"  automatic_failback: true\n  failback_hold_time: 3s\n  sync_poll_interval: 200ms\n{policy_extra}"
            "regions:\n  - id: us-east-1\n  - id: us-west-2\n"
            "services:\n  - id: api.example.com\n    dns_name: api.example.com\n    hosted_zone: example.com\n"
            "    record_type: A\n    ttl: 60\n    routing: record\n    health_rule: all\n    regions:\n"
            f"      - region: us-east-1\n        target: 192.0.2.10\n{signals(self.regions[0]['port'])}"
            f"      - region: us-west-2\n        target: 192.0.2.20\n{signals(self.regions[1]['port'])}"
        )
        self.config = os.path.join(self.work, f"{backend}.yaml")
        with open(self.config, "w") as f:
            f.write(text)
        return self.config

    def run_cli(self, arguments, timeout=120):
        environment = dict(os.environ)
        environment.update(self.aws_env)
        return subprocess.run([self.bin] + arguments, capture_output=True, text=True, env=environment,
                              timeout=timeout)

    def bootstrap(self):
        # Straight to moto: the proxy counts only the nodes' changes.
        environment = dict(self.aws_env, AWS_ENDPOINT_URL=f"http://127.0.0.1:{self.moto_port}")
        result = subprocess.run([self.bin, "bootstrap", "--config", self.config, "--create-zone"],
                                capture_output=True, text=True, env=dict(os.environ, **environment), timeout=120)
        if result.returncode != 0:
            sys.exit(f"bootstrap failed:\n{result.stdout}\n{result.stderr}")
        zones = self.moto_route53("GET", "/2013-04-01/hostedzonesbyname?dnsname=example.com")
        self.zone_id = re.search(r"<Id>/hostedzone/([^<]+)</Id>", zones).group(1)

    def moto_route53(self, method, path):
        connection = http.client.HTTPConnection("127.0.0.1", self.moto_port, timeout=10)
        connection.request(method, path, headers={
            "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/route53/aws4_request, "
                             "SignedHeaders=host, Signature=x"})
        text = connection.getresponse().read().decode()
        connection.close()
        return text

    def record(self):
        """api.example.com's A values in moto, or None."""
        text = self.moto_route53("GET", f"/2013-04-01/hostedzone/{self.zone_id}/rrset")
        for block in re.findall(r"<ResourceRecordSet>(.*?)</ResourceRecordSet>", text, re.S):
            if "<Name>api.example.com.</Name>" in block and "<Type>A</Type>" in block:
                return re.findall(r"<Value>([^<]+)</Value>", block)
        return None

    def start_node(self, i, count=3):
        port = self.node_ports[i]
        env = dict(self.aws_env, SWITCHBOARD_ADMIN_TOKEN=ADMIN_TOKEN)
        self.spawn(f"node{i}", [self.bin, "serve", "--config", self.config, "--listen", f"127.0.0.1:{port}",
                                "--shutdown-grace", "1"], env)
        if i >= len(self.nodes):
            self.nodes.append({"port": port})

    def node_url(self, i):
        return f"http://127.0.0.1:{self.node_ports[i]}"

    def wait_ready(self, i, seconds=60):
        return wait_until(lambda: call("GET", self.node_url(i) + "/healthz")[0] == 200, seconds)

    def leader(self):
        """The leader's node index as some live node's GET /api/v1/cluster names it (on etcd), else None."""
        for i in range(len(self.nodes)):
            status, doc = call("GET", self.node_url(i) + "/api/v1/cluster", token=ADMIN_TOKEN, timeout=1)
            if status == 200 and isinstance(doc, dict) and doc.get("backend") == "etcd":
                leader = doc.get("leader")
                text = json.dumps(leader) if leader is not None else ""
                for j, port in enumerate(self.node_ports):
                    if f"127.0.0.1:{port}" in text:
                        return j
        return None

    def workflows(self):
        """Every workflow of api.example.com, as some live node's API lists them (all pages)."""
        for i in range(len(self.nodes)):
            found, cursor = [], None
            for _ in range(200):
                url = self.node_url(i) + "/api/v1/services/api.example.com/workflows?limit=100"
                if cursor:
                    url += "&cursor=" + cursor
                status, doc = call("GET", url, token=ADMIN_TOKEN, timeout=5)
                if status != 200 or not isinstance(doc, dict):
                    break
                found += doc["workflows"]
                cursor = doc.get("next_cursor")
                if not cursor:
                    return found
        return None
