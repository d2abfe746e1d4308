#!/usr/bin/env python3
"""ScarTrack benchmarks (issue 16): one real `scartrack serve` per engine on 127.0.0.1, a fresh
database with demo data, every figure beside a baseline measured in the same run, and
PERFORMANCE.md written with the machine, the date and the issue's targets. Run it through
`Benchmarks/run`, which builds the release binary first."""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import loadgen  # noqa: E402

ADMIN = "bench.admin@clinic.example"
PASSWORD = "bench-Password-2026-long"
PRACTITIONER = "dr.demo@clinic.example"
DEMO_PASSWORD = "demo-only-Password-2026"
CONNECTIONS = 32
HISTORY_MARK = "<!-- Everything below this line is kept by Benchmarks/run: the earlier runs, by hand. -->"


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, token=None, headers=None, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for k, v in (headers or {}).items():
        request.add_header(k, v)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            raw = reply.read()
            return reply.status, dict(reply.headers), raw
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def must(status, expected, what, raw):
    if status not in expected:
        raise SystemExit(f"benchmark setup failed at {what}: {status} {raw[:500]!r}")
    return json.loads(raw) if raw else {}


# ---------------------------------------------------------------------------
# Engines
# ---------------------------------------------------------------------------

class SQLiteEngine:
    name = "SQLite"

    def env(self):
        return {}

    def stop(self):
        pass


class PostgresEngine:
    name = "PostgreSQL"

    def __init__(self, workdir, pg_bin, url=None):
        self.pg_bin, self.external = pg_bin, url
        self.dir = os.path.join(workdir, "pg")
        self.port = None
        if url:
            self.url = url
            return
        self.data = os.path.join(self.dir, "data")
        self.as_root = os.geteuid() == 0
        os.makedirs(self.dir, exist_ok=True)  # kept from an earlier run with --keep-data: start it again
        if self.as_root:
            os.chmod(workdir, 0o755)
            shutil.chown(self.dir, "postgres", "postgres")
        if not os.path.exists(self.data):
            self.pg(["initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"])
        self.port = free_port()
        # Durable defaults (fsync, synchronous_commit on); enough connections for 32 + pgbench.
        self.pg(["pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "postgres.log"), "-w", "-t", "60", "start", "-o",
                 f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.dir} -c max_connections=200"])
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def pg(self, args, check=True):
        command = [os.path.join(self.pg_bin, args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, cwd=self.dir, capture_output=True, text=True, timeout=300)
        if check and result.returncode != 0:
            raise SystemExit(f"{' '.join(args[:2])} failed: {result.stdout}{result.stderr}")
        return result

    def env(self):
        return {"SCARTRACK_DATABASE_URL": self.url}

    def pgbench(self, seconds):
        """pgbench's simple-update (one UPDATE + INSERT per transaction) at 32 clients, durable settings."""
        base = self.url.rsplit("/", 1)[0]
        db = "scartrack_pgbench"
        subprocess.run([os.path.join(self.pg_bin, "psql"), self.url, "-X", "-q", "-c", f"DROP DATABASE IF EXISTS {db}", "-c",
                        f"CREATE DATABASE {db}"], check=True, capture_output=True)
        url = f"{base}/{db}"
        subprocess.run([os.path.join(self.pg_bin, "pgbench"), "-i", "-q", "-s", "10", url], check=True, capture_output=True)
        out = subprocess.run([os.path.join(self.pg_bin, "pgbench"), "-n", "-b", "simple-update", "-c", str(CONNECTIONS), "-j", "2",
                              "-T", str(seconds), "-r", url], check=True, capture_output=True, text=True).stdout
        tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
        latency = re.search(r"latency average = ([\d.]+) ms", out)
        subprocess.run([os.path.join(self.pg_bin, "psql"), self.url, "-X", "-q", "-c", f"DROP DATABASE {db}"], capture_output=True)
        return {"rate": tps, "avg_ms": float(latency.group(1)) if latency else float("nan")}

    def stop(self):
        if not self.external:
            self.pg(["pg_ctl", "-D", self.data, "-m", "fast", "stop"], check=False)


# ---------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------

class Server:
    def __init__(self, binary, workdir, engine):
        self.binary, self.engine = binary, engine
        self.data_dir = os.path.join(workdir, "data")
        self.log_path = os.path.join(workdir, "server.log")
        self.process = None
        self.extra_env = {}
        self.port = free_port()
        os.makedirs(self.data_dir, exist_ok=True)

    def env(self):
        return {**os.environ, "SCARTRACK_DATA_DIR": self.data_dir, "SCARTRACK_OUTBOX_INTERVAL_SECONDS": "0",
                "SCARTRACK_LOG_LEVEL": "warning", "SCARTRACK_REQUIRE_ADMIN_2FA": "false", **self.engine.env(), **self.extra_env}

    def cli(self, *args, stdin=None, timeout=600):
        result = subprocess.run([self.binary, *args], input=stdin, env=self.env(), capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise SystemExit(f"scartrack {' '.join(args)} exited {result.returncode}: {result.stdout}{result.stderr}")
        return result.stdout

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        """Starts the server; returns seconds from spawn to the first 200 from /health/live."""
        started = time.perf_counter()
        self.process = subprocess.Popen([self.binary, "serve", "--host", "127.0.0.1", "--port", str(self.port)], env=self.env(),
                                        stdin=subprocess.DEVNULL, stdout=open(self.log_path, "a"), stderr=subprocess.STDOUT)
        while time.perf_counter() - started < 60:
            if self.process.poll() is not None:
                raise SystemExit(f"server exited; see {self.log_path}")
            try:
                if http("GET", self.base + "/health/live", timeout=1)[0] == 200:
                    return time.perf_counter() - started
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.005)
        raise SystemExit(f"server did not answer; see {self.log_path}")

    def rss_mb(self):
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# ---------------------------------------------------------------------------
# Load
# ---------------------------------------------------------------------------

def wrk_available():
    return shutil.which("wrk") is not None


def parse_duration_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)", text)
    value, unit = float(m.group(1)), m.group(2)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def measure_get(url, token, seconds, tool):
    """GET at 32 connections for `seconds`: rate, p50, p99, non-2xx count."""
    if tool == "wrk":
        args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
        if token:
            args += ["-H", f"Authorization: Bearer {token}"]
        out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        p50 = parse_duration_ms(re.search(r"\s50%\s+(\S+)", out).group(1))
        p99 = parse_duration_ms(re.search(r"\s99%\s+(\S+)", out).group(1))
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        errors = int(bad.group(1)) if bad else 0
        socket_errors = re.search(r"Socket errors: (.*)", out)
        if socket_errors:
            errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
        return {"rate": rate, "p50_ms": p50, "p99_ms": p99, "errors": errors, "tool": "wrk"}
    host, port, path = split_url(url)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    result = loadgen.run(host, port, CONNECTIONS, lambda i: [("GET", path, None, headers, lambda s, h, b: s == 200)],
                         max_count=10_000_000, max_seconds=seconds)
    result["tool"] = "python"
    return result


def split_url(url):
    m = re.match(r"http://([^:/]+):(\d+)(/.*)?$", url)
    return m.group(1), int(m.group(2)), m.group(3) or "/"


def raw_sqlite_commits(seconds):
    """Raw SQLite commits with the product's durability: WAL, synchronous=FULL, one row per commit."""
    path = os.path.join(tempfile.mkdtemp(prefix="scartrack-rawsqlite-"), "raw.sqlite")
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    body = "x" * 600  # about one chart's size
    n, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t (body) VALUES (?)", (body,))
        db.execute("COMMIT")
        n += 1
    elapsed = time.perf_counter() - started
    db.close()
    shutil.rmtree(os.path.dirname(path), ignore_errors=True)
    return {"rate": n / elapsed, "commits": n}


def sql_statements(server):
    """The server's statement counter from /metrics (nil when this build has none)."""
    status, _, raw = http("GET", server.base + "/metrics")
    if status != 200:
        return None
    m = re.search(r"^scartrack_sql_statements_total(?:\{[^}]*\})? ([\d.e+]+)$", raw.decode(), re.M)
    return float(m.group(1)) if m else None


# ---------------------------------------------------------------------------
# The clinic the benchmark works in
# ---------------------------------------------------------------------------

class Clinic:
    """Admin set-up through the API: a device, lots, no before-photos required, a consent template."""

    def __init__(self, server):
        self.server = server
        base = server.base
        self.admin = self.sign_in(ADMIN, PASSWORD)
        self.practitioner = self.sign_in(PRACTITIONER, DEMO_PASSWORD)
        a = self.admin
        self.device = self.post("/api/v1/devices", {"model": "Pen One", "manufacturer": "Acme", "type": "motorized-pen", "maxDepthMm": 2.0,
                                                    "needleGeometry": "36-pin round", "needleCount": 36, "serialNumber": "SN-100"}, a)["id"]
        self.cartridge = self.post("/api/v1/lots", {"kind": "cartridge", "product": "36-pin cartridge", "lotNumber": "CART-7", "expiresOn": "2099-01-01",
                                                    "quantity": 100000, "receivedOn": "2025-01-02"}, a)["id"]
        status, headers, raw = http("GET", base + "/api/v1/charting-settings", token=a)
        etag = {k.lower(): v for k, v in headers.items()}.get("etag", '"1"')
        status, _, raw = http("PUT", base + "/api/v1/charting-settings", {"beforePhotoCount": 0, "beforePhotoViews": []}, token=a,
                              headers={"If-Match": etag})
        must(status, (200,), "charting settings", raw)
        self.post("/api/v1/consent-templates", {"kind": "microneedling", "title": "Consent to microneedling",
                                                "body": "What the treatment is.\n\nRisks and alternatives."}, a)
        templates = json.loads(http("GET", base + "/api/v1/protocol-templates", token=self.practitioner)[2])["items"]
        self.template = next(t["id"] for t in templates if t["modality"] == "microneedling" and t.get("isExample"))

    def refresh_tokens(self):
        """Bearer tokens are stored, so they survive a restart; signing in again keeps them fresh."""
        self.practitioner = self.sign_in(PRACTITIONER, DEMO_PASSWORD)

    def sign_in(self, email, password):
        status, _, raw = http("POST", self.server.base + "/api/v1/auth/sessions", {"email": email, "password": password})
        return must(status, (201,), f"sign-in {email}", raw)["token"]

    def post(self, path, body, token, headers=None, expected=(201,)):
        status, _, raw = http("POST", self.server.base + path, body, token=token, headers=headers)
        return must(status, expected, path, raw)

    def ready_patient(self, n):
        """A patient ready to be treated: intake, approved plan, signed consent."""
        p = self.practitioner
        pid = self.post("/api/v1/patients", {"givenName": "Bench", "familyName": f"Example-{n}", "dateOfBirth": "1990-04-12"}, p)["id"]
        self.post(f"/api/v1/patients/{pid}/intakes", {"fitzpatrick": 2}, p)
        status, headers, raw = http("POST", self.server.base + f"/api/v1/patients/{pid}/plans",
                                    {"templateId": self.template, "rationale": "Rolling-dominant scarring; standard course to start."}, token=p)
        plan = must(status, (201,), "plan", raw)
        etag = {k.lower(): v for k, v in headers.items()}.get("etag")
        self.post(f"/api/v1/plans/{plan['id']}/approve", None, p, headers={"If-Match": etag} if etag else None, expected=(200,))
        self.post(f"/api/v1/patients/{pid}/consents", {"kind": "microneedling", "signerName": "Bench Example", "agreed": True}, p)
        return pid

    def chart(self):
        return {"performedOn": datetime.datetime.now(datetime.timezone.utc).date().isoformat(), "deviceId": self.device,
                "cartridgeLotId": self.cartridge,
                "anesthetic": {"agent": "Lidocaine", "concentration": "4%", "minutesApplied": 30, "removed": True},
                "zones": [{"zone": "left-cheek", "depthMm": 1.5, "passes": 3, "pattern": "crosshatch", "endpoint": "pinpoint-bleeding"},
                          {"zone": "right-cheek", "depthMm": 1.25, "passes": 3, "endpoint": "uniform-erythema"}],
                "durationMinutes": 40, "reactions": {"erythema": True, "edema": False, "pinpointBleeding": True, "painScore": 3},
                "notes": "Tolerated well"}


CLEAN_DAY = {"dayAnswers": {"activeAcneInArea": False, "localInfectionInArea": False, "activeHerpesLabialis": False,
                            "recentSunburn": False, "pregnantOrBreastfeeding": False, "newMedications": False}}


def create_and_sign(clinic, patients, count, seconds):
    """Creates `count` session charts (32 connections, one patient per connection slot), then signs
    them all; each phase bounded by `seconds`. Returns (create, sign) summaries."""
    host, port, _ = split_url(clinic.server.base)
    auth = {"Authorization": f"Bearer {clinic.practitioner}"}
    chart = json.dumps({"chart": clinic.chart()}).encode()
    created = []

    def create_steps(i):
        def check(status, headers, body):
            if status == 201:
                created.append(json.loads(body)["id"])
                return True
            return False
        return [("POST", f"/api/v1/patients/{patients[i % len(patients)]}/sessions", chart, auth, check)]

    create = loadgen.run(host, port, CONNECTIONS, create_steps, count, seconds)
    ids = list(created)
    body = json.dumps(CLEAN_DAY).encode()
    sign_headers = {**auth, "If-Match": '"1"'}
    sign = loadgen.run(host, port, CONNECTIONS, lambda i: [("POST", f"/api/v1/sessions/{ids[i]}/sign", body, sign_headers,
                                                            lambda s, h, b: s == 200)], len(ids), seconds)
    return create, sign


def wrk_writes(clinic, patients, seconds):
    """The create and sign benchmark with wrk and the Lua scripts in Benchmarks/wrk: creates charts
    for `seconds` (32 connections), then signs exactly those for `seconds`. The same requests as
    `create_and_sign`, from a load generator that leaves the server most of the 2 cores."""
    here = Path(__file__).resolve().parent / "wrk"
    with tempfile.TemporaryDirectory(prefix="scartrack-bench-wrk-") as tmp:
        tmp = Path(tmp)
        (tmp / "patients").write_text("\n".join(patients) + "\n")
        (tmp / "chart.json").write_text(json.dumps({"chart": clinic.chart()}))
        (tmp / "clean-day.json").write_text(json.dumps(CLEAN_DAY))
        env = {**os.environ, "BENCH_PATIENTS": str(tmp / "patients"), "BENCH_IDS": str(tmp / "ids"),
               "BENCH_TOKEN": clinic.practitioner}

        def run(script, body):
            out = subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s",
                                  "-s", str(here / script), clinic.server.base], env={**env, "BENCH_BODY": str(tmp / body)},
                                 capture_output=True, text=True, check=True).stdout
            done = re.search(r"bench: succeeded (\d+) failed (\d+)", out)
            elapsed = parse_duration_ms(re.search(r"requests in ([\d.]+\w+),", out).group(1)) / 1000
            ok, failed = int(done.group(1)), int(done.group(2))
            return {"requests": ok, "seconds": elapsed, "rate": ok / elapsed if elapsed else 0.0,
                    "p50_ms": parse_duration_ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
                    "p99_ms": parse_duration_ms(re.search(r"\s99%\s+(\S+)", out).group(1)), "errors": failed, "tool": "wrk"}

        create = run("create.lua", "chart.json")
        sign = run("sign.lua", "clean-day.json")
        return create, sign


def many_sessions(clinic, patient, count):
    """Gives one patient `count` session charts (drafts), then times its session list and page."""
    host, port, _ = split_url(clinic.server.base)
    auth = {"Authorization": f"Bearer {clinic.practitioner}"}
    chart = json.dumps({"chart": clinic.chart()}).encode()
    loadgen.run(host, port, 8, lambda i: [("POST", f"/api/v1/patients/{patient}/sessions", chart, auth, lambda s, h, b: s == 201)],
                count, 120)
    # The list is paged (issue 16): the first page, and the last one reached by following the
    # Link headers (the deepest keyset page); the patient page; the HTML list's first page.
    last, pages = f"/api/v1/patients/{patient}/sessions", 0
    while True:
        status, headers, raw = http("GET", clinic.server.base + last, token=clinic.practitioner)
        link = headers.get("Link") or headers.get("link")
        if status != 200 or not link:
            break
        last, pages = link.split(">")[0].lstrip("<"), pages + 1
    out = {"pages": pages + 1}
    for name, path in (("list", f"/api/v1/patients/{patient}/sessions"), ("last", last), ("page", f"/patients/{patient}"),
                       ("all", f"/patients/{patient}/sessions")):
        times, size = [], 0
        for _ in range(7):
            started = time.perf_counter()
            status, _, raw = http("GET", clinic.server.base + path, token=clinic.practitioner)
            times.append((time.perf_counter() - started) * 1000)
            size = len(raw)
        times.sort()
        out[name] = {"median_ms": times[len(times) // 2], "bytes": size, "status": status}
    return out


def tiny_png(seed):
    """A 16x16 PNG, different for each seed (photos are stored by content)."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes([seed % 256, (seed // 256) % 256, 130]) * 16 for _ in range(16))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def timed_pages(clinic, first, key=None):
    """Follows a list's Link headers from `first`; times its first and last page (median of 7 each)."""
    last, pages = first, 0
    while True:
        status, headers, raw = http("GET", clinic.server.base + last, token=clinic.practitioner)
        link = headers.get("Link") or headers.get("link")
        # The HTML list pages link their next page in the page itself.
        html = re.search(r'id="next-page" href="([^"]+)"', raw.decode(errors="replace"))
        nxt = link.split(">")[0].lstrip("<") if link else (html.group(1).replace("&amp;", "&") if html else None)
        if status != 200 or not nxt:
            break
        last, pages = nxt, pages + 1
    out = {"pages": pages + 1}
    for name, path in (("first", first), ("last", last)):
        out[name] = timed_gets(clinic.server.base + path, clinic.practitioner, 7)
    return out


def many_records(clinic, patient, count):
    """Gives the patient of `many_sessions` `count` appointments, photos and scar assessments (issue 16:
    every list is paged), then times the first and the last page of each list, in the API and as a page."""
    base, p = clinic.server.base, clinic.practitioner
    host, port, _ = split_url(base)
    me = json.loads(http("GET", base + "/api/v1/me", token=p)[2])
    status, _, raw = http("PUT", base + f"/api/v1/schedule/practitioners/{me['id']}/hours",
                          {"hours": [{"weekday": d, "start": "06:00", "end": "21:00"} for d in range(1, 8)]}, token=clinic.admin)
    must(status, (204,), "hours", raw)
    room = clinic.post("/api/v1/schedule/rooms", {"name": "Bench room"}, clinic.admin)["id"]
    today = datetime.date.today()
    for series in range((count + 2) // 3):
        start = (today + datetime.timedelta(days=7 + series * 90)).isoformat()
        clinic.post(f"/api/v1/patients/{patient}/appointment-series", {
            "modality": "microneedling", "count": 3, "intervalDays": 28, "minimumIntervalDays": 21, "start": f"{start}T10:00",
            "practitionerId": me["id"], "roomId": room, "followUpMonths": []}, p)
    assessment = json.dumps({"assessedOn": (today - datetime.timedelta(days=30)).isoformat(), "blinded": False, "notes": "Bench",
                             "zones": {"left-cheek": {"ice-pick": 12, "boxcar": 3, "sizeClass": "under-2mm"},
                                       "forehead": {"rolling": 25, "depthClass": "shallow"}},
                             "hypertrophicAreaCm2": 0, "gbQuantitative": {"A1": 8, "B2": 15, "C1": 25, "D1": 3},
                             "ecca": {"vShapedUnder2mm": 12, "uShaped2to4mm": 3, "mShapedOver4mm": 25},
                             "gbQualitative": {"contourChange": True, "obviousAt50cm": True, "coveredByMakeup": False,
                                               "flattensOnStretch": True}}).encode()
    auth = {"Authorization": f"Bearer {p}"}
    loadgen.run(host, port, 8, lambda i: [("POST", f"/api/v1/patients/{patient}/assessments", assessment, auth, lambda s, h, b: s == 201)],
                count, 120)
    boundary = "----scartrackbench"
    for i in range(count):
        day = (today - datetime.timedelta(days=i % 300)).isoformat()
        body = b"".join([f'--{boundary}\r\nContent-Disposition: form-data; name="{n}"\r\n\r\n{v}\r\n'.encode()
                         for n, v in (("view", "frontal"), ("capturedOn", day))]
                        + [f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="f.png"\r\n'
                           f'Content-Type: image/png\r\n\r\n'.encode() + tiny_png(i) + b"\r\n", f"--{boundary}--\r\n".encode()])
        request = urllib.request.Request(f"{base}/api/v1/patients/{patient}/photos", data=body, method="POST",
                                         headers={**auth, "Content-Type": f"multipart/form-data; boundary={boundary}"})
        with urllib.request.urlopen(request, timeout=60) as reply:
            must(reply.status, (201,), "photo", b"")
    out = {"count": count}
    for what in ("appointments", "photos", "assessments"):
        out[what] = timed_pages(clinic, f"/api/v1/patients/{patient}/{what}")
        out[what + "_page"] = timed_pages(clinic, f"/patients/{patient}/{what}")
    out["patient_page"] = timed_gets(base + f"/patients/{patient}", p, 7)
    return out


def timed_gets(url, token, n):
    times = []
    for _ in range(n):
        started = time.perf_counter()
        status, _, raw = http("GET", url, token=token, timeout=300)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"median_ms": times[len(times) // 2], "status": status}


# ---------------------------------------------------------------------------
# One engine, start to finish
# ---------------------------------------------------------------------------

def bench_engine(args, engine, workdir, tool):
    server = Server(args.binary, workdir, engine)
    r = {"engine": engine.name}
    try:
        log(f"{engine.name}: migrating and filling the demo clinic ({args.patients} patients)")
        server.cli("user", "add", "--email", ADMIN, "--role", "admin", "--name", "Bench Admin", stdin=PASSWORD + "\n")
        demo = server.cli("demo", "--patients", str(args.patients), "--courses", str(args.courses))
        r["demo"] = demo.strip().splitlines()[-1]
        server.start()
        time.sleep(1)
        r["rss_start_mb"] = server.rss_mb()
        clinic = Clinic(server)
        log(f"{engine.name}: {CONNECTIONS} patients ready to treat")
        patients = [clinic.ready_patient(n) for n in range(CONNECTIONS)]
        page_patient = patients[0]
        # A few signed sessions on the page patient, so the page shows a real course.
        create_and_sign(clinic, [page_patient], 3, 30)

        r["page_statements"] = statements_of(server, f"/patients/{page_patient}", clinic.practitioner)
        r["read_statements"] = statements_of(server, f"/api/v1/patients/{page_patient}", clinic.practitioner)
        r.update(load_block(args, engine, server, clinic, patients, page_patient, tool))
        time.sleep(3)
        r["rss_idle_mb"] = server.rss_mb()
        if isinstance(engine, SQLiteEngine):
            r["raw"] = raw_sqlite_commits(min(args.seconds, 8))
            if not args.smoke:
                # The same reads and writes with one commit per writer (group commit off), same run.
                server.stop()
                server.extra_env = {"SCARTRACK_SQLITE_GROUP_COMMIT": "false"}
                server.start()
                clinic.refresh_tokens()
                log("SQLite: again with group commit off")
                r["without_group_commit"] = load_block(args, engine, server, clinic, patients, page_patient, tool, baseline=False)
                server.stop()
                server.extra_env = {}
                server.start()
        else:
            log("PostgreSQL: pgbench simple-update")
            r["raw"] = engine.pgbench(args.seconds)
        log(f"{engine.name}: a patient with {args.many} sessions")
        many_patient = clinic.ready_patient(CONNECTIONS + 1)
        r["many"] = many_sessions(clinic, many_patient, args.many)
        log(f"{engine.name}: the same patient with {args.records} appointments, photos and assessments")
        r["records"] = many_records(clinic, many_patient, args.records)
        r["analytics"] = timed_gets(server.base + "/api/v1/analytics", clinic.practitioner, 3)
        r["analytics"]["sessions"] = count_signed(server, engine)
        server.stop()
        r["startup_s"] = min(restart(server) for _ in range(3))
    finally:
        server.stop()
    return r


def load_block(args, engine, server, clinic, patients, page_patient, tool, baseline=True):
    d, r = args.seconds, {}
    log(f"{engine.name}: reads ({tool}, {CONNECTIONS} connections, {d} s each)")
    if baseline:
        r["baseline"] = measure_get(server.base + "/health/live", None, d, tool)
        r["health"] = measure_get(server.base + "/health", None, d, tool)
    r["patient_json"] = measure_get(f"{server.base}/api/v1/patients/{page_patient}", clinic.practitioner, d, tool)
    r["patient_page"] = measure_get(f"{server.base}/patients/{page_patient}", clinic.practitioner, d, tool)
    log(f"{engine.name}: session charts, create then sign ({CONNECTIONS} connections)")
    if tool == "wrk":
        r["create"], r["sign"] = wrk_writes(clinic, patients, d)
    else:
        r["create"], r["sign"] = create_and_sign(clinic, patients, args.writes, 2 * d)
    return r


def statements_of(server, path, token):
    """Statements one GET costs: the counter's rise over the request, less a scrape's own rise."""
    a = sql_statements(server)
    b = sql_statements(server)
    if a is None:
        return None
    http("GET", server.base + path, token=token)
    c = sql_statements(server)
    return (c - b) - (b - a)


def restart(server):
    seconds = server.start()
    server.stop()
    return seconds


def count_signed(server, engine):
    query = "SELECT COUNT(*) FROM treatment_sessions WHERE signed_at IS NOT NULL"
    try:
        if isinstance(engine, SQLiteEngine):
            db = sqlite3.connect(os.path.join(server.data_dir, "scartrack.sqlite"))
            n = db.execute(query).fetchone()[0]
            db.close()
            return n
        out = subprocess.run(["psql", engine.url, "-X", "-A", "-t", "-c", query], capture_output=True, text=True).stdout
        return int(out.strip())
    except Exception:  # noqa: BLE001 - the count is only context for the figure
        return None


# ---------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------

def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) / 1024 / 1024
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    return {"cores": os.cpu_count(), "ram_gb": mem, "cpu": model, "kernel": platform.release(), "commit": commit,
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "sqlite": sqlite3.sqlite_version}


def verdict(ok, missed):
    return "met" if ok else f"missed ({missed})"


def fmt_rate(x):
    return f"{x:,.0f}/s" if x >= 100 else f"{x:,.1f}/s"


def engine_section(r):
    base = r["baseline"]["rate"]
    lines = [f"### {r['engine']}", "", f"Demo data: {r['demo']}", "",
             "| what | rate | p50 | p99 | × baseline | target | |",
             "|---|---|---|---|---|---|---|"]

    def row(label, m, target="", judged=""):
        ratio = m["rate"] / base if base else 0
        err = f" ({m['errors']} errors)" if m.get("errors") else ""
        lines.append(f"| {label} | {fmt_rate(m['rate'])}{err} | {m['p50_ms']:.1f} ms | {m['p99_ms']:.1f} ms | {ratio:.2f}× | {target} | {judged} |")

    row("bare JSON route `/health/live` (baseline, no database)", r["baseline"])
    row("`/health` (one database round trip)", r["health"])
    pj = r["patient_json"]
    ratio = pj["rate"] / base
    row("audited patient JSON read `GET /api/v1/patients/{id}`", pj, "≥ 0.3×, p99 < 10 ms",
        verdict(ratio >= 0.3 and pj["p99_ms"] < 10, f"{ratio:.2f}×, p99 {pj['p99_ms']:.0f} ms"))
    pp = r["patient_page"]
    ratio = pp["rate"] / base
    row("patient page `GET /patients/{id}`", pp, "≥ 0.1×, p99 < 25 ms",
        verdict(ratio >= 0.1 and pp["p99_ms"] < 25, f"{ratio:.2f}×, p99 {pp['p99_ms']:.0f} ms"))
    raw = r["raw"]["rate"]
    raw_label = "raw SQLite commits, WAL + synchronous=FULL (same run)" if r["engine"] == "SQLite" else "pgbench simple-update, 32 clients (same run)"
    lines += ["", "| writes | rate | p50 | p99 | × " + ("raw commits" if r["engine"] == "SQLite" else "pgbench") + " | target | |",
              "|---|---|---|---|---|---|---|",
              f"| {raw_label} | {fmt_rate(raw)} | | | 1.00× | | |"]
    for key, label in (("create", "session chart create `POST /api/v1/patients/{id}/sessions`"),
                       ("sign", "session chart sign `POST /api/v1/sessions/{id}/sign`")):
        m = r[key]
        ratio = m["rate"] / raw if raw else 0
        err = f" ({m['errors']} errors)" if m.get("errors") else ""
        lines.append(f"| {label} | {fmt_rate(m['rate'])}{err} | {m['p50_ms']:.1f} ms | {m['p99_ms']:.1f} ms | {ratio:.2f}× | ≥ 0.5× | "
                     f"{verdict(ratio >= 0.5, '%.2f×' % ratio)} |")
    off = r.get("without_group_commit")
    if off:
        lines += ["", "The same run with `SCARTRACK_SQLITE_GROUP_COMMIT=false` (one commit per writer, as before group commit):", "",
                  "| what | rate | p50 | p99 | ratio | rate with group commit on ÷ off |", "|---|---|---|---|---|---|"]
        for key, label, against, name in (("patient_json", "audited patient JSON read", base, "baseline"),
                                          ("patient_page", "patient page", base, "baseline"),
                                          ("create", "session chart create", raw, "raw"), ("sign", "session chart sign", raw, "raw")):
            m = off[key]
            lines.append(f"| {label} | {fmt_rate(m['rate'])} | {m['p50_ms']:.1f} ms | {m['p99_ms']:.1f} ms | "
                         f"{m['rate'] / against:.2f}× {name} | {r[key]['rate'] / m['rate']:.1f}× |")
    many = r["many"]
    list_ms, page_ms = many["list"]["median_ms"], many["page"]["median_ms"]
    idle = r["rss_idle_mb"]
    stmts = "" if r.get("page_statements") is None else f"{r['page_statements']:.0f}"
    rstmts = "" if r.get("read_statements") is None else f"{r['read_statements']:.0f}"
    an = r["analytics"]
    lines += ["", "| other | figure | target | |", "|---|---|---|---|",
              f"| SQL statements per patient page view | {stmts or 'not counted by this build'} | about 20 | "
              + (verdict(float(stmts) <= 25, stmts) if stmts else "") + " |",
              f"| SQL statements per audited patient JSON read | {rstmts or 'not counted by this build'} | | |",
              f"| patient with {args_many} sessions: session list JSON, first page (of {many['pages']}) | {many['list']['median_ms']:.0f} ms, "
              f"{many['list']['bytes'] / 1024:.0f} KiB | any page < 50 ms | {verdict(list_ms < 50, '%.0f ms' % list_ms)} |",
              f"| patient with {args_many} sessions: session list JSON, last page (cursor) | {many['last']['median_ms']:.0f} ms, "
              f"{many['last']['bytes'] / 1024:.0f} KiB | any page < 50 ms | {verdict(many['last']['median_ms'] < 50, '%.0f ms' % many['last']['median_ms'])} |",
              f"| patient with {args_many} sessions: patient page | {many['page']['median_ms']:.0f} ms, {many['page']['bytes'] / 1024:.0f} KiB | "
              f"< 50 ms | {verdict(many['page']['median_ms'] < 50, '%.0f ms' % page_ms)} |",
              f"| patient with {args_many} sessions: all-sessions page `/patients/{{id}}/sessions` | {many['all']['median_ms']:.0f} ms, "
              f"{many['all']['bytes'] / 1024:.0f} KiB | < 50 ms | {verdict(many['all']['median_ms'] < 50, '%.0f ms' % many['all']['median_ms'])} |",
              *records_rows(r),
              f"| clinic analytics `GET /api/v1/analytics` over {an['sessions']} signed sessions | {an['median_ms']:.0f} ms | "
              f"< 300 ms at 1M sessions | not measured at 1M |",
              f"| memory (RSS) after start | {r['rss_start_mb']:.0f} MB | | |",
              f"| memory (RSS) idle after the load | {r['rss_idle_mb']:.0f} MB | < 60 MB | "
              f"{verdict(r['rss_idle_mb'] < 60, '%.0f MB' % idle)} |",
              f"| start-up to the first `/health/live` answer (this database, best of 3) | {r['startup_s'] * 1000:.0f} ms | "
              f"< 1 s at 1M sessions | {verdict(r['startup_s'] < 1, '%.2f s' % r['startup_s'])} on this database |",
              ""]
    return "\n".join(lines)


args_many = 700


def records_rows(r):
    """The rows of the 700-session patient's other lists (issue 16: any page < 50 ms): first and last page of each."""
    rec = r.get("records")
    if not rec:
        return []
    rows = []
    for what in ("appointments", "photos", "assessments"):
        for kind, label in ((what, f"`GET /api/v1/patients/{{id}}/{what}`"), (what + "_page", f"page `/patients/{{id}}/{what}`")):
            m = rec[kind]
            worst = max(m["first"]["median_ms"], m["last"]["median_ms"])
            rows.append(f"| patient with {args_many} sessions and {rec['count']} {what}: {label}, first / last of {m['pages']} pages | "
                        f"{m['first']['median_ms']:.0f} / {m['last']['median_ms']:.0f} ms | any page < 50 ms | "
                        f"{verdict(worst < 50, '%.0f ms' % worst)} |")
    return rows


def build_kind(binary):
    return "debug" if "/debug/" in binary or "debug" in os.path.basename(binary) else "release"


def write_report(path, m, results, tool, seconds, binary):
    history = ""
    if os.path.exists(path):
        text = open(path).read()
        if HISTORY_MARK in text:
            history = text.split(HISTORY_MARK, 1)[1]
    parts = ["# ScarTrack performance", "",
             "Written by `Benchmarks/run` (issue 16). Every HTTP figure comes from a real `scartrack serve` "
             f"(**{build_kind(binary)} build**) on "
             "127.0.0.1 with a fresh database and demo data, measured at 32 connections for "
             f"{seconds} s with `{tool}`; each is set against a baseline measured in the same run (a bare JSON route that touches "
             "no database for reads; raw commits with the same durability for writes). Load generator and server share the machine.", "",
             f"- Machine: {m['cores']} cores, {m['ram_gb']:.1f} GB RAM, {m['cpu']}, Linux {m['kernel']}",
             f"- Date: {m['date']}; commit {m['commit']}; Python's SQLite {m['sqlite']} for the raw loop", "",
             ("Write benchmarks (`wrk` with `Benchmarks/wrk/create.lua` and `sign.lua`): 32 connections create session charts "
              f"(one transaction + one audit entry each) for {seconds} s, then sign those charts for {seconds} s (checklist, "
              "signature, one audit entry each). " if tool == "wrk" else
              "Write benchmarks: 32 connections create session charts (one transaction + one audit entry each) for up to "
              f"{2 * seconds} s, then sign every one of them (checklist, signature, one audit entry each). ") + "The raw loop is one "
             "`BEGIN IMMEDIATE; INSERT; COMMIT` after another on a WAL file with `synchronous=FULL`.", ""]
    parts += [engine_section(r) for r in results]
    parts += [HISTORY_MARK]
    with open(path, "w") as f:
        f.write("\n".join(parts) + (history if history else "\n"))


def main():
    global args_many
    p = argparse.ArgumentParser()
    p.add_argument("--binary", required=True)
    p.add_argument("--postgres", action="store_true")
    p.add_argument("--smoke", action="store_true")
    p.add_argument("--out", default="PERFORMANCE.md")
    p.add_argument("--seconds", dest="seconds_override", type=int, help="seconds per measurement (default 10; 2 with --smoke)")
    p.add_argument("--pg-bin", default=os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
    p.add_argument("--only", choices=["analytics"], help="only the 1M-session analytics benchmark (its own PERFORMANCE.md section)")
    p.add_argument("--sessions", type=int, default=1_000_000, help="signed sessions for --only analytics")
    p.add_argument("--repeats", type=int, default=5, help="timed requests per analytics filter for --only analytics")
    p.add_argument("--keep-data", metavar="DIR", help="--only analytics: keep each engine's data set in DIR and reuse it "
                                                      "on the next run with the same DIR (generating 1M sessions takes minutes)")
    args = p.parse_args()
    args.binary = os.path.abspath(args.binary)
    if args.smoke:
        args.seconds, args.writes, args.many, args.patients, args.courses, args.records = 2, 64, 40, 5, 0, 12
    else:
        args.seconds, args.writes, args.many, args.patients, args.courses, args.records = 10, 4000, 700, 200, 100, 120
    if args.seconds_override:
        args.seconds = args.seconds_override
    args_many = args.many
    tool = "wrk" if wrk_available() else "python"
    if args.keep_data and args.only == "analytics":
        workdir = os.path.abspath(args.keep_data)
        os.makedirs(workdir, exist_ok=True)
    else:
        workdir = tempfile.mkdtemp(prefix="scartrack-bench-")
    os.chmod(workdir, 0o755)  # the throwaway PostgreSQL runs as the postgres user, which must reach its data folder
    results = []
    started = time.time()
    run = bench_engine
    if args.only == "analytics":
        import analytics_bench  # noqa: PLC0415 - only this mode needs it
        run = lambda a, e, w, _tool: analytics_bench.run_engine(a, e, w)  # noqa: E731
    try:  # noqa: SIM105
        if not (args.only and os.environ.get("SCARTRACK_BENCH_SKIP_SQLITE")):
            results.append(run(args, SQLiteEngine(), os.path.join(workdir, "sqlite"), tool))
        if args.postgres:
            url = os.environ.get("SCARTRACK_BENCH_DATABASE_URL")
            engine = PostgresEngine(os.path.join(workdir, "postgres"), args.pg_bin, url)
            try:
                results.append(run(args, engine, os.path.join(workdir, "postgres"), tool))
            finally:
                engine.stop()
    except BaseException:
        log(f"failed; the servers' logs are in {workdir}")
        raise
    if not (args.keep_data and args.only == "analytics"):
        shutil.rmtree(workdir, ignore_errors=True)
    log(f"done in {time.time() - started:.0f} s")
    report = {"machine": machine(), "tool": tool, "results": results}
    print(json.dumps(report, indent=1, default=str))
    if args.only == "analytics":
        if not args.smoke:
            analytics_bench.write(args.out, report["machine"], results, args.binary)
            log(f"wrote the analytics section of {args.out}")
        return
    if args.smoke:
        for r in results:
            # Under a debug build on a busy machine a page may not finish within the smoke's 2 s; errors are what count.
            bad = [k for k in ("patient_json", "patient_page", "create", "sign") if r[k]["errors"]] + [k for k in ("create", "sign") if not r[k]["rate"]]
            if bad:
                raise SystemExit(f"smoke: {r['engine']}: errors in {bad}")
        log("smoke passed (no report written)")
        return
    write_report(args.out, report["machine"], results, tool, args.seconds, args.binary)
    log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
