#!/usr/bin/env python3
"""Several app servers behind haproxy on one PostgreSQL (issue 16, "scale-out").

Three `scartrack serve` processes share one throwaway PostgreSQL cluster, with photos in the
database (`SCARTRACK_PHOTO_STORE=database`) and a data folder each; Debian's haproxy balances
them round robin and health-checks `/health/ready`. Through the proxy only:

  * a practitioner signs in, registers a patient and uploads a photo through one server;
  * the photo is read back several times, so every server serves it (each server's log shows it);
  * concurrent registrations land on all three servers; every one is in the database once;
  * one server is killed (SIGKILL): haproxy takes it out and every following request succeeds;
  * `scartrack audit verify` exits 0: the servers extended one audit chain, MAC'd under the one
    audit key they share (`SCARTRACK_AUDIT_KEY`); a server that brings another key is refused at start.

Bounded in requests and time; prints the figures. Only the Python standard library (plus the
crash test's PostgreSQL and HTTP helpers) is used.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crash"))
from run import Failure, PostgresEngine, free_port, http  # noqa: E402  (the crash test's helpers)

PASSWORD = "cluster-test-Password-2026"
EMAIL = "cluster.tester@clinic.example"
SERVERS = 3


def log(message):
    print(f"[cluster] {message}", flush=True)


class AppServer:
    def __init__(self, binary, workdir, name, database_url, audit_key):
        self.binary, self.name, self.audit_key = binary, name, audit_key
        self.data_dir = os.path.join(workdir, name)
        self.log_path = os.path.join(workdir, f"{name}.log")
        self.database_url = database_url
        self.port = free_port()
        self.process = None
        os.makedirs(self.data_dir)

    def env(self):
        return {**os.environ, "SCARTRACK_DATABASE_URL": self.database_url, "SCARTRACK_DATA_DIR": self.data_dir,
                "SCARTRACK_PHOTO_STORE": "database", "SCARTRACK_TRUSTED_PROXIES": "127.0.0.1", "SCARTRACK_LOG_FORMAT": "json",
                "SCARTRACK_OUTBOX_INTERVAL_SECONDS": "0", "SCARTRACK_REQUIRE_ADMIN_2FA": "false",
                "SCARTRACK_AUDIT_KEY": self.audit_key}

    def cli(self, *args, stdin=None):
        result = subprocess.run([self.binary, *args], input=stdin, env=self.env(), capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            raise Failure(f"scartrack {' '.join(args)} exited {result.returncode}: {result.stdout}{result.stderr}")
        return result

    def start(self):
        self.process = subprocess.Popen([self.binary, "serve", "--host", "127.0.0.1", "--port", str(self.port)], env=self.env(),
                                        stdin=subprocess.DEVNULL, stdout=open(self.log_path, "a"), stderr=subprocess.STDOUT)

    def wait_ready(self, deadline):
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise Failure(f"{self.name} exited {self.process.returncode} (see {self.log_path})")
            try:
                if http("GET", f"http://127.0.0.1:{self.port}/health/ready", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise Failure(f"{self.name} did not become ready (see {self.log_path})")

    def served(self, route):
        """Requests this server answered on `route` (its JSON request log names the route)."""
        with open(self.log_path, errors="replace") as f:
            return sum(1 for line in f if f'"route":"{route}"' in line and '"status":"200"' in line)

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


def haproxy_config(port, servers):
    lines = ["global", "    maxconn 256", "defaults", "    mode http", "    timeout connect 2s", "    timeout client 30s",
             "    timeout server 30s", "    retries 2", "    option redispatch", "frontend scartrack",
             f"    bind 127.0.0.1:{port}", "    default_backend app", "backend app", "    balance roundrobin",
             "    option httpchk GET /health/ready", "    http-check expect status 200", "    option forwardfor"]
    lines += [f"    server {s.name} 127.0.0.1:{s.port} check inter 500ms fall 2 rise 2" for s in servers]
    return "\n".join(lines) + "\n"


def multipart(fields, file_field, filename, content_type, data):
    boundary = uuid.uuid4().hex
    parts = []
    for k, v in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
                 f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def raw(method, url, data=None, headers=None, timeout=15):
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def tiny_png():
    import struct
    import zlib

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes([200, 120, 90] * 4) for _ in range(3))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 3, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def scenario(binary, workdir, pg_bin, figures):
    engine = PostgresEngine(workdir, pg_bin)
    engine.start()
    servers = []
    proxy = None
    try:
        key = os.urandom(32).hex()  # one audit key for every server, as docs/INSTALL.md says
        servers = [AppServer(binary, workdir, f"app{i + 1}", engine.url, key) for i in range(SERVERS)]
        started = time.time()
        for s in servers:
            s.start()  # at once, on an empty database: migrations and the first clinic under one lock
        for s in servers:
            s.wait_ready(time.time() + 120)
        figures["three servers ready (s)"] = round(time.time() - started, 1)
        servers[0].cli("user", "add", "--email", EMAIL, "--role", "practitioner", "--name", "Cluster Tester", stdin=PASSWORD + "\n")

        port = free_port()
        config = os.path.join(workdir, "haproxy.cfg")
        with open(config, "w") as f:
            f.write(haproxy_config(port, servers))
        proxy = subprocess.Popen(["haproxy", "-f", config, "-db"], stdout=open(os.path.join(workdir, "haproxy.log"), "w"),
                                 stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if http("GET", base + "/health/ready", timeout=2)[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        time.sleep(1.5)  # every server passes its first health checks

        status, _, body = http("POST", base + "/api/v1/auth/sessions", {"email": EMAIL, "password": PASSWORD}, timeout=30)
        if status != 201 and status != 200:
            raise Failure(f"sign-in through the proxy failed: {status} {body}")
        auth = {"Authorization": f"Bearer {body['token']}"}
        status, _, patient = http("POST", base + "/api/v1/patients",
                                  {"givenName": "Cora", "familyName": "Cluster", "dateOfBirth": "1990-02-03", "sex": "female"}, auth)
        if status != 201:
            raise Failure(f"registration failed: {status} {patient}")
        png = tiny_png()
        data, content_type = multipart([("view", "frontal"), ("capturedOn", "2026-01-15")], "photo", "face.png", "image/png", png)
        status, reply = raw("POST", f"{base}/api/v1/patients/{patient['id']}/photos", data, {**auth, "Content-Type": content_type})
        if status != 201:
            raise Failure(f"photo upload failed: {status} {reply[:300]}")
        photo = json.loads(reply)["id"]
        path = f"/photos/{photo}/image"
        reads = 3 * SERVERS
        started = time.time()
        for _ in range(reads):
            status, image = raw("GET", base + path, headers={**auth, "Accept": "image/*"})
            if status != 200 or image != png:
                raise Failure(f"the photo read through the proxy answered {status} with {len(image)} bytes")
        figures["photo reads through the proxy"] = reads
        figures["photo reads per second"] = round(reads / (time.time() - started), 1)
        route = "/photos/{id}/image"
        for s in servers:
            if s.served(route) == 0:
                raise Failure(f"{s.name} never served the photo: the proxy did not balance, or its log lacks the request")
        figures["servers that served the photo"] = sum(1 for s in servers if s.served(route) > 0)

        created, errors = [], []

        def register(i):
            st, _, b = http("POST", base + "/api/v1/patients",
                            {"givenName": "Lena", "familyName": f"Parallel-{i}", "dateOfBirth": "1988-07-09", "sex": "female"}, auth)
            (created if st == 201 else errors).append(b.get("id") if st == 201 else f"{st} {b}")
        threads = [threading.Thread(target=register, args=(i,)) for i in range(30)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        if errors or len(created) != 30:
            raise Failure(f"concurrent registrations: {len(created)} created, errors {errors[:3]}")
        stored = engine.psql("SELECT COUNT(*) FROM patients WHERE family_name LIKE 'Parallel-%'")[0][0]
        if int(stored) != 30:
            raise Failure(f"{stored} of 30 acknowledged registrations are in the database")
        figures["concurrent registrations acknowledged and stored"] = 30

        servers[1].kill()
        killed = time.time()
        answered, failed = 0, []
        while time.time() - killed < 6 and answered < 40:
            status, _ = raw("GET", base + path, headers={**auth, "Accept": "image/*"})
            if status == 200:
                answered += 1
            else:
                failed.append(status)
            time.sleep(0.1)
        if failed:
            raise Failure(f"after {servers[1].name} was killed, requests through the proxy failed: {failed[:5]}")
        figures["requests answered after a server was killed"] = answered

        stranger = AppServer(binary, workdir, "app-other-key", engine.url, os.urandom(32).hex())
        stranger.start()
        try:
            stranger.process.wait(60)
        except subprocess.TimeoutExpired:
            stranger.kill()
            raise Failure("a server with another audit key started on the shared database")
        with open(stranger.log_path, errors="replace") as f:
            if "Audit key mismatch" not in f.read():
                raise Failure(f"the server with another audit key exited without naming the mismatch (see {stranger.log_path})")
        figures["a server with another audit key"] = f"refused at start (exit {stranger.process.returncode})"

        verify = servers[0].cli("audit", "verify")
        figures["audit verify"] = "intact (exit 0)"
        log(verify.stdout.strip().splitlines()[-1] if verify.stdout.strip() else "audit verify: exit 0")
    finally:
        if proxy and proxy.poll() is None:
            proxy.terminate()
            proxy.wait(10)
        for s in servers:
            s.kill()
        engine.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--pg-bin", default=os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
    parser.add_argument("--artifacts", default=None)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="scartrack-cluster-")
    if os.geteuid() == 0:
        os.chmod(workdir, 0o755)  # the postgres user runs the cluster below it
    figures = {}
    try:
        scenario(os.path.abspath(args.binary), workdir, args.pg_bin, figures)
    except Failure as failure:
        log(f"FAILED: {failure} (logs in {workdir})")
        return 1
    finally:
        for k, v in figures.items():
            log(f"{k}: {v}")
        if args.artifacts:
            os.makedirs(args.artifacts, exist_ok=True)
            with open(os.path.join(args.artifacts, "cluster-figures.json"), "w") as f:
                json.dump(figures, f, indent=2)
    log("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
