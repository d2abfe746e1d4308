#!/usr/bin/env python3
"""Crash test: no acknowledged write is ever lost.

The built server runs under a steady load of chart writes (patient registrations and
If-Match edits through the HTTP API, from several concurrent clients). At seeded random
moments it is killed hard:

  sqlite    the server gets SIGKILL (no shutdown code runs; the WAL is left as it is).
  postgres  the PostgreSQL cluster is stopped with `pg_ctl stop -m immediate` (no
            checkpoint: crash recovery on restart), then the server gets SIGKILL.

After every kill, before anything else touches the data:
  * every write the server acknowledged (2xx with an id and ETag) is present, with at
    least the acknowledged version, and the acknowledged name when the version is equal;
  * SQLite: `PRAGMA integrity_check` is `ok`; PostgreSQL: the cluster restarts (WAL replay);
  * `scartrack audit verify` exits 0 (the hash chain is intact);
then the server is restarted on the same data and the load continues.

Bounded: --kills cycles (default 8) and a wall-clock budget; prints figures at the end.
Only the Python standard library is used. PostgreSQL runs as its own throwaway cluster
with fsync on (unlike the fast cluster of the swift test stage), started here.
"""
import argparse
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

PASSWORD = "crash-test-Password-2026"
EMAIL = "crash.tester@clinic.example"


def log(message):
    print(f"[crash] {message}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Failure(Exception):
    pass


# ---------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------

def http(method, url, body=None, headers=None, timeout=10):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        request.add_header(k, v)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as e:
        payload = e.read()
        try:
            parsed = json.loads(payload or b"{}")
        except ValueError:
            parsed = {"raw": payload.decode(errors="replace")}
        return e.code, dict(e.headers), parsed


# ---------------------------------------------------------------------------
# Engines
# ---------------------------------------------------------------------------

class SQLiteEngine:
    name = "sqlite"

    def __init__(self, workdir):
        self.path = os.path.join(workdir, "data", "scartrack.sqlite")

    def env(self):
        return {}

    def start(self):
        pass

    def crash(self, server):
        server.kill()

    def after_crash_checks(self, checks):
        # Opened by a separate process (this one), exactly as found after the kill.
        con = sqlite3.connect(self.path, timeout=30)
        try:
            result = con.execute("PRAGMA integrity_check").fetchall()
        finally:
            con.close()
        if result != [("ok",)]:
            raise Failure(f"PRAGMA integrity_check: {result[:5]}")
        checks["integrity_check ok"] += 1

    def patients(self):
        con = sqlite3.connect(self.path, timeout=30)
        try:
            rows = con.execute("SELECT id, version, family_name FROM patients").fetchall()
        finally:
            con.close()
        return {normalise_id(r[0]): (int(r[1]), r[2]) for r in rows}

    def stop(self):
        pass


class PostgresEngine:
    name = "postgres"

    def __init__(self, workdir, pg_bin):
        self.pg_bin = pg_bin
        self.dir = os.path.join(workdir, "pg")
        self.data = os.path.join(self.dir, "data")
        self.port = None
        self.as_root = os.geteuid() == 0
        os.makedirs(self.dir)
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        self.pg(["initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"])

    def pg(self, args, check=True, timeout=120):
        command = [os.path.join(self.pg_bin, args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, cwd=self.dir, capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise Failure(f"{' '.join(args[:2])} failed ({result.returncode}): {result.stdout}{result.stderr}")
        return result

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def env(self):
        return {"SCARTRACK_DATABASE_URL": self.url}

    def start(self):
        # Durable settings (fsync, full_page_writes, synchronous_commit all on, the defaults).
        for attempt in range(3):
            self.port = self.port or free_port()
            result = self.pg(["pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "postgres.log"), "-w", "-t", "60", "start",
                              "-o", f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.dir}"],
                             check=False)
            if result.returncode == 0:
                return
            self.port = None
        raise Failure(f"PostgreSQL did not start: {result.stdout}{result.stderr}")

    def crash(self, server):
        self.pg(["pg_ctl", "-D", self.data, "-m", "immediate", "stop"])
        server.kill()

    def after_crash_checks(self, checks):
        self.start()  # crash recovery replays the WAL
        checks["postgres crash recoveries"] += 1

    def psql(self, sql):
        result = subprocess.run([os.path.join(self.pg_bin, "psql"), self.url, "-X", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1", "-c", sql],
                                capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise Failure(f"psql: {result.stderr}")
        return [line.split("|") for line in result.stdout.splitlines() if line]

    def patients(self):
        return {normalise_id(r[0]): (int(r[1]), r[2]) for r in self.psql("SELECT id, version, family_name FROM patients")}

    def stop(self):
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            self.pg(["pg_ctl", "-D", self.data, "-m", "immediate", "stop"], check=False)


def normalise_id(value):
    if isinstance(value, bytes):
        return str(uuid.UUID(bytes=value))
    return str(uuid.UUID(str(value)))


# ---------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------

class Server:
    def __init__(self, binary, workdir, engine):
        self.binary = binary
        self.data_dir = os.path.join(workdir, "data")
        self.log_path = os.path.join(workdir, "server.log")
        self.engine = engine
        self.process = None
        self.port = None
        os.makedirs(self.data_dir, exist_ok=True)

    def env(self):
        return {**os.environ, "SCARTRACK_DATA_DIR": self.data_dir, "SCARTRACK_OUTBOX_INTERVAL_SECONDS": "0",
                "SCARTRACK_LOG_LEVEL": "warning", **self.engine.env()}

    def cli(self, *args, stdin=None, check=True):
        result = subprocess.run([self.binary, *args], input=stdin, env=self.env(), capture_output=True, text=True, timeout=300)
        with open(self.log_path, "a") as f:
            f.write(f"$ scartrack {' '.join(args)} (exit {result.returncode})\n{result.stdout}{result.stderr}\n")
        if check and result.returncode != 0:
            raise Failure(f"scartrack {' '.join(args)} exited {result.returncode}: {result.stdout}{result.stderr}")
        return result

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        for attempt in range(3):
            self.port = free_port()
            with open(self.log_path, "a") as f:
                f.write(f"$ scartrack serve --port {self.port}\n")
            self.process = subprocess.Popen([self.binary, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                                            env=self.env(), stdin=subprocess.DEVNULL,
                                            stdout=open(self.log_path, "a"), stderr=subprocess.STDOUT)
            deadline = time.time() + 60
            while time.time() < deadline:
                if self.process.poll() is not None:
                    break
                try:
                    status, _, body = http("GET", self.base + "/health", timeout=2)
                    if status == 200 and body.get("status") == "ok":
                        return
                except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                    pass
                time.sleep(0.1)
            self.kill()
        raise Failure(f"server did not become healthy (see {self.log_path})")

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


# ---------------------------------------------------------------------------
# Load: each client registers patients and edits its own ones with If-Match.
# ---------------------------------------------------------------------------

class Ledger:
    """Every acknowledged write: patient id -> (version, family name)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acked = {}
        self.counts = {"creates acknowledged": 0, "edits acknowledged": 0, "writes not acknowledged": 0}

    def ack(self, pid, version, family, kind):
        with self.lock:
            previous = self.acked.get(pid)
            if previous is None or previous[0] < version:
                self.acked[pid] = (version, family)
            self.counts[kind] += 1

    def failed(self):
        with self.lock:
            self.counts["writes not acknowledged"] += 1


def etag_version(headers):
    etag = headers.get("ETag") or headers.get("Etag") or ""
    digits = "".join(ch for ch in etag if ch.isdigit())
    return etag, int(digits) if digits else None


def client_loop(index, base, token, ledger, stop, rng_seed):
    rng = random.Random(rng_seed)
    mine = {}  # id -> etag
    auth = {"Authorization": f"Bearer {token}"}
    n = 0
    while not stop.is_set():
        n += 1
        family = f"Crash-{index}-{rng_seed % 100000}-{n}"
        try:
            if mine and rng.random() < 0.4:
                pid = rng.choice(list(mine))
                status, headers, body = http("PATCH", f"{base}/api/v1/patients/{pid}", {"familyName": family},
                                             {**auth, "If-Match": mine[pid]}, timeout=5)
                if status == 200:
                    etag, version = etag_version(headers)
                    mine[pid] = etag
                    ledger.ack(pid, version, family, "edits acknowledged")
                else:
                    ledger.failed()
                    mine.pop(pid, None)  # re-learn nothing; stop editing this one
            else:
                status, headers, body = http("POST", f"{base}/api/v1/patients", {
                    "givenName": "Load", "familyName": family, "dateOfBirth": "1990-05-17", "sex": "female",
                }, auth, timeout=5)
                if status == 201 and body.get("id"):
                    etag, version = etag_version(headers)
                    pid = normalise_id(body["id"])
                    mine[pid] = etag
                    ledger.ack(pid, version, family, "creates acknowledged")
                else:
                    ledger.failed()
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError, ValueError):
            ledger.failed()
            time.sleep(0.02)


def verify_acknowledged(engine, ledger):
    stored = engine.patients()
    missing, stale = [], []
    with ledger.lock:
        acked = dict(ledger.acked)
    for pid, (version, family) in acked.items():
        found = stored.get(pid)
        if found is None:
            missing.append(pid)
        elif found[0] < version or (found[0] == version and found[1] != family):
            stale.append((pid, version, family, found))
    if missing or stale:
        raise Failure(f"{len(missing)} acknowledged patients missing (e.g. {missing[:3]}), "
                      f"{len(stale)} older than acknowledged (e.g. {stale[:3]})")
    return len(acked)


def run(args):
    rng = random.Random(args.seed)
    started = time.time()
    workdir = tempfile.mkdtemp(prefix=f"scartrack-crash-{args.engine}-")
    if os.geteuid() == 0:
        os.chmod(workdir, 0o755)
    engine = SQLiteEngine(workdir) if args.engine == "sqlite" else PostgresEngine(workdir, args.pg_bin)
    server = Server(os.path.abspath(args.binary), workdir, engine)
    ledger = Ledger()
    checks = {"acknowledged writes verified": 0, "integrity_check ok": 0, "postgres crash recoveries": 0, "audit verify ok": 0}
    kills = 0
    ok = False
    try:
        engine.start()
        server.cli("user", "add", "--email", EMAIL, "--role", "practitioner", "--name", "Crash Tester", stdin=PASSWORD + "\n")
        server.start()
        tokens = []
        for _ in range(args.clients):
            status, _, body = http("POST", server.base + "/api/v1/auth/sessions", {"email": EMAIL, "password": PASSWORD}, timeout=60)
            if status != 201:
                raise Failure(f"sign-in failed: {status} {body}")
            tokens.append(body["token"])  # bearer tokens are stored, so they survive every restart
        while kills < args.kills:
            if time.time() - started > args.budget:
                log(f"time budget of {args.budget}s reached after {kills} kills")
                break
            stop = threading.Event()
            threads = [threading.Thread(target=client_loop, args=(i, server.base, tokens[i], ledger, stop, rng.randrange(1 << 30)),
                                        daemon=True) for i in range(args.clients)]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(args.min_run, args.max_run))
            engine.crash(server)  # mid-load: requests are in flight
            kills += 1
            stop.set()
            for t in threads:
                t.join(timeout=15)
            engine.after_crash_checks(checks)
            verified = verify_acknowledged(engine, ledger)
            # A run in which the server acknowledged nothing would prove nothing: every round must add writes.
            if verified <= checks["acknowledged writes verified"]:
                raise Failure(f"no write was acknowledged between kill {kills - 1} and kill {kills}")
            checks["acknowledged writes verified"] = verified
            verify = server.cli("audit", "verify", check=False)
            if verify.returncode != 0:
                raise Failure(f"audit verify exited {verify.returncode}: {verify.stdout}{verify.stderr}")
            checks["audit verify ok"] += 1
            log(f"kill {kills}: {len(ledger.acked)} patients acknowledged so far, all present; "
                f"{verify.stdout.strip()}")
            server.start()
        # A final look through the restarted server itself.
        status, _, body = http("GET", server.base + "/health")
        if status != 200:
            raise Failure(f"/health after the last restart: {status} {body}")
        if ledger.counts["edits acknowledged"] == 0:
            raise Failure("no edit was acknowledged: the If-Match updates never succeeded")
        needed = args.min_kills if args.min_kills is not None else args.kills
        ok = kills >= max(1, needed)
        if not ok:
            raise Failure(f"only {kills} kills fitted in the time budget; at least {needed} are required")
    except Failure as e:
        log(f"FAILED: {e}")
        log(f"server log: {server.log_path}")
        if args.artifacts:
            os.makedirs(args.artifacts, exist_ok=True)
            shutil.copy(server.log_path, os.path.join(args.artifacts, f"crash-{args.engine}-server.log"))
    finally:
        server.kill()
        engine.stop()
    seconds = time.time() - started
    print(f"\ncrash test ({args.engine}, seed {args.seed}, {args.clients} clients): {kills} kills in {seconds:.0f}s")
    for k, v in {**ledger.counts, **checks}.items():
        if args.engine == "sqlite" and k == "postgres crash recoveries":
            continue
        if args.engine == "postgres" and k == "integrity_check ok":
            continue
        print(f"  {k:32} {v}")
    if ok:
        shutil.rmtree(workdir, ignore_errors=True)
        print("crash test PASSED")
        return 0
    print(f"crash test FAILED (data kept in {workdir})")
    return 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-bin", default=os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--clients", type=int, default=3)
    parser.add_argument("--seed", type=int, default=int(os.environ.get("SCARTRACK_CRASH_SEED", "7")))
    parser.add_argument("--min-run", type=float, default=0.5, help="shortest load before a kill (s)")
    parser.add_argument("--max-run", type=float, default=2.5, help="longest load before a kill (s)")
    parser.add_argument("--budget", type=float, default=150, help="wall-clock limit (s)")
    parser.add_argument("--min-kills", type=int, help="pass with at least this many kills when the budget runs out (default: --kills)")
    parser.add_argument("--artifacts")
    args = parser.parse_args()
    sys.exit(run(args))


if __name__ == "__main__":
    main()
