"""Real peers on loopback for the dashboard's browser test: moto_server (Route53 with the example zone), two
`switchboard sample-region` processes, and `switchboard serve` with a test configuration and one token per role.
Mirrors the Swift integration harness (Tests/IntegrationTests/Support/ContractServer.swift)."""

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid

REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.path.join(REPOSITORY, ".build", "debug", "switchboard")
SERVICE = "api.example.com"
# A second service, primary in us-west-2, so the grid shows more than one row (the scenarios act on SERVICE).
OTHER_SERVICE = "www.example.com"
REGIONS = ["us-east-1", "us-west-2"]
# Figures the browser test measures (reported at the end of the run by conftest.py, not asserted).
TIMINGS = {}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(what, check, seconds=60, interval=0.1):
    """Polls `check` until it returns something truthy (bounded); raises naming `what`."""
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        try:
            last = check()
            if last:
                return last
        except Exception as error:  # noqa: BLE001 - the peer is still starting
            last = error
        time.sleep(interval)
    raise TimeoutError(f"{what} within {seconds} s (last: {last!r})")


class PeerExited(Exception):
    """A peer stopped while we waited for it: no point waiting longer."""


class Child:
    """A child process with its output in a log file; stopped by its pid, never by name."""

    def __init__(self, arguments, log_path, env=None, cwd=REPOSITORY):
        self.log_path = log_path
        self.log = open(log_path, "ab")
        self.process = subprocess.Popen(arguments, stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                                        stdin=subprocess.DEVNULL)

    def output(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stop(self, sig=signal.SIGTERM, grace=10):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class Peers:
    """moto, two sample regions and serve, started in `directory`."""

    def __init__(self):
        if not os.access(BINARY, os.X_OK):
            raise RuntimeError(f"{BINARY} is missing: run `swift build` first")
        self.directory = tempfile.mkdtemp(prefix="switchboard-browser-")
        self.children = []
        try:
            self.start()
        except BaseException:
            self.stop(keep_files=True)  # what did start must not outlive a failed start; its logs may tell why
            raise

    def start_aws_and_regions(self):
        """moto_server with the hosted zone, the two sample regions, and a token per role."""
        self.moto_port = free_port()
        self.moto = self.spawn(["moto_server", "-H", "127.0.0.1", "-p", str(self.moto_port)], "moto.log")
        self.moto_url = f"http://127.0.0.1:{self.moto_port}"
        wait_until("moto_server answers", lambda: urllib.request.urlopen(self.moto_url + "/moto-api/").status == 200)
        self.create_zone()
        self.samples = {region: self.sample_region(region) for region in REGIONS}
        self.tokens = {role: self.token(f"browser-{role}", role) for role in ["viewer", "operator", "admin"]}

    def start(self):
        self.start_aws_and_regions()
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.write_config()
        self.serve = None
        self.start_serve()

    def spawn(self, arguments, log_name, env=None):
        child = Child(arguments, os.path.join(self.directory, log_name), env=env)
        self.children.append(child)
        return child

    def environment(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SWITCHBOARD_"))}
        env.update({
            "HOME": self.directory, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_CONFIG_FILE": self.directory + "/no-aws-config",
            "AWS_SHARED_CREDENTIALS_FILE": self.directory + "/no-aws-credentials", "AWS_EC2_METADATA_DISABLED": "true",
        })
        return env

    def create_zone(self):
        import boto3

        route53 = boto3.client("route53", endpoint_url=self.moto_url, region_name="us-east-1",
                               aws_access_key_id="testing", aws_secret_access_key="testing")
        zone = route53.create_hosted_zone(Name="example.com", CallerReference=str(uuid.uuid4()))
        route53.change_resource_record_sets(
            HostedZoneId=zone["HostedZone"]["Id"],
            ChangeBatch={"Changes": [
                {"Action": "UPSERT", "ResourceRecordSet": {
                    "Name": name, "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": value}]}}
                for name, value in [(SERVICE, "192.0.2.10"), (OTHER_SERVICE, "192.0.2.21")]]})

    def sample_region(self, region):
        child = self.spawn([BINARY, "sample-region", "--region", region, "--listen", "127.0.0.1:0"],
                           f"sample-{region}.log")

        def port():
            for line in child.output().splitlines():
                if "listening on 127.0.0.1:" in line:
                    return int(line.rsplit(":", 1)[1].strip())
            return None

        child.port = wait_until(f"sample-region {region} reports its port", port, 30)
        return child

    def token(self, name, role):
        result = subprocess.run([BINARY, "token", "create", name, "--role", role], capture_output=True, text=True,
                                check=True, timeout=30)
        secret, line = result.stdout.strip().splitlines()[:2]
        return {"secret": secret, "line": line}

    def write_config(self):
        def signal_yaml(region):
            return (f"\n        signals:\n          - type: http\n"
                    f"            url: http://127.0.0.1:{self.samples[region].port}/health\n"
                    f"            interval: 1\n            failure_threshold: 1\n            success_threshold: 1")

        tokens = "\n".join(f"    {t['line']}" for t in self.tokens.values())
        config = f"""listen: 127.0.0.1:8080
public_dir: {REPOSITORY}/Public
public_status: true
storage:
  path: {self.directory}/switchboard.sqlite
aws:
  region: us-east-1
  endpoint_url: {self.moto_url}
policy:
  minimum_dwell: 1s
  max_automatic_failovers_per_hour: 100
  automatic_failback: false
  step_retry:
    max_attempts: 5
    base_delay: 200ms
    max_delay: 1s
  sync_poll_interval: 200ms
regions:
  - id: us-east-1
  - id: us-west-2
services:
  - id: {SERVICE}
    dns_name: {SERVICE}
    hosted_zone: example.com
    record_type: A
    ttl: 60
    routing: record
    health_rule: all
    regions:
      - region: us-east-1
        target: 192.0.2.10{signal_yaml("us-east-1")}
      - region: us-west-2
        target: 192.0.2.20{signal_yaml("us-west-2")}
  - id: {OTHER_SERVICE}
    dns_name: {OTHER_SERVICE}
    hosted_zone: example.com
    record_type: A
    ttl: 300
    routing: record
    health_rule: all
    regions:
      - region: us-west-2
        target: 192.0.2.21{signal_yaml("us-west-2")}
      - region: us-east-1
        target: 192.0.2.11{signal_yaml("us-east-1")}
    runbook:
      before_traffic:
        - name: owner-ok
          kind: approval
          message: "Has the www team drained its sessions?"
          manual_only: true
          timeout: 10m
auth:
  tokens:
{tokens}
"""
        self.config_path = os.path.join(self.directory, "config.yaml")
        with open(self.config_path, "w") as f:
            f.write(config)

    def start_serve(self):
        self.serve = self.spawn([BINARY, "serve", "--config", self.config_path, "--listen", f"127.0.0.1:{self.port}",
                                 "--shutdown-grace", "2"], "serve.log", env=self.environment())

        def healthy():
            if self.serve.process.poll() is not None:
                raise PeerExited("serve exited:\n" + self.serve.output()[-3000:])
            service = self.api("GET", f"/api/v1/services/{SERVICE}", role="viewer")
            return all(r["health"]["status"] == "healthy" for r in service["regions"])

        wait_until("serve sees every region healthy", healthy, 60)

    def restart_serve(self):
        self.serve.stop()
        self.children.remove(self.serve)
        self.start_serve()

    def api(self, method, path, role="operator", body=None):
        headers = {"Authorization": f"Bearer {self.tokens[role]['secret']}", "Accept": "application/json"}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            headers["Idempotency-Key"] = str(uuid.uuid4())
            data = json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"null")

    def sample(self, region, action):
        request = urllib.request.Request(f"http://127.0.0.1:{self.samples[region].port}/{action}", data=b"",
                                         method="POST")
        urllib.request.urlopen(request, timeout=5).read()

    def stop(self, keep_files=False):
        for child in reversed(self.children):
            # moto keeps nothing worth flushing (and may linger on SIGTERM): stop it at once.
            child.stop(signal.SIGKILL if child is getattr(self, "moto", None) else signal.SIGTERM)
        # The configuration, store and logs; SWITCHBOARD_KEEP_TEST_FILES=1 keeps them for a post-mortem.
        if not keep_files and not os.environ.get("SWITCHBOARD_KEEP_TEST_FILES"):
            shutil.rmtree(self.directory, ignore_errors=True)


ETCD = "/usr/bin/etcd"


class ClusterPeers(Peers):
    """Peers on a one-member etcd: two `serve` nodes sharing one configuration (`storage.backend: etcd`, lease 3 s),
    `leader` started first so it leads, `follower` after. etcd's data directory (64 MB of preallocated WAL) is
    removed when stopped."""

    def start(self):
        self.etcd_data = os.path.join(self.directory, "etcd")
        self.etcd_port, peer_port = free_port(), free_port()
        client, peer = f"http://127.0.0.1:{self.etcd_port}", f"http://127.0.0.1:{peer_port}"
        self.etcd = self.spawn([
            ETCD, "--name", "m1", "--data-dir", self.etcd_data, "--listen-client-urls", client,
            "--advertise-client-urls", client, "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", f"m1={peer}", "--initial-cluster-state", "new",
            "--initial-cluster-token", "switchboard-browser", "--heartbeat-interval", "100",
            "--election-timeout", "1000"], "etcd.log")
        wait_until("etcd answers /health", lambda: b'"true"' in urllib.request.urlopen(client + "/health", timeout=2).read(), 30)
        self.start_aws_and_regions()
        self.write_config()
        with open(self.config_path) as f:
            config = f.read()
        sqlite = f"storage:\n  path: {self.directory}/switchboard.sqlite\n"
        assert sqlite in config
        with open(self.config_path, "w") as f:
            f.write(config.replace(sqlite, f"storage:\n  backend: etcd\n  endpoints: [{client}]\n  request_timeout: 1s\n"
                                           "cluster:\n  name: browser\n  lease_ttl: 3s\n"))
        self.leader = self.node("leader", "leader")
        self.follower = self.node("follower", "follower")
        self.port, self.base = self.follower.port, self.follower.base

    def node(self, name, role):
        """Starts a serve node and waits (bounded) until /readyz says `role`."""
        port = free_port()
        child = self.spawn([BINARY, "serve", "--config", self.config_path, "--listen", f"127.0.0.1:{port}",
                            "--shutdown-grace", "2"], f"serve-{name}.log", env=self.environment())
        child.port, child.base, child.id = port, f"http://127.0.0.1:{port}", f"127.0.0.1:{port}"

        def ready():
            if child.process.poll() is not None:
                raise PeerExited(f"serve ({name}) exited:\n" + child.output()[-3000:])
            try:
                with urllib.request.urlopen(child.base + "/readyz", timeout=5) as response:
                    body = response.read()
            except urllib.error.HTTPError as error:  # 503 names the role too
                body = error.read()
            return json.loads(body)["role"] == role

        wait_until(f"serve ({name}) says {role}", ready, 30)
        return child

    def kill_etcd(self):
        self.etcd.stop(signal.SIGKILL)

    def stop(self, keep_files=False):
        super().stop(keep_files)
        shutil.rmtree(getattr(self, "etcd_data", ""), ignore_errors=True)
