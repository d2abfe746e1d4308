#!/usr/bin/env python3
"""FHIR Bulk Data $export throughput: resources per second from kick-off to the last byte.

    python3 Benchmarks/fhir-export/run.py --binary .build/release/scartrack [--courses 400] [--database-url postgres://…]

Starts the built server on a fresh data dir (SQLite unless --database-url), generates a demo clinic
(`scartrack demo --courses N`), then runs a whole-clinic export as a client would (kick-off, poll
honouring Retry-After, download every file) and reports resources/s for the export itself (kick-off
until the manifest) and end to end (until every file is downloaded), and the server's peak resident
memory (VmHWM). The target (issue 15) is at least 100,000 resources/s on the 2-core reference
machine, with memory that does not grow with the clinic: compare two sizes (--courses 100, 400).

To compare two binaries on the same clinic (SQLite), generate it once with `--save-clinic DIR`
and start later runs from a copy of that data folder with `--clinic DIR` (a newer binary migrates
the copy; the folder keeps the audit key the clinic's audit trail was written with). With
`--save-ndjson DIR` the downloaded files are kept there (`Type-N.ndjson`, N counting each type's
files from 1) with a `sha256.txt`, so two binaries' exports of one clinic can be compared byte for byte.
"""

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "Tests" / "browser"))
import harness  # noqa: E402

EMAIL = "bench.admin@test.example"


def call(base: str, token: str | None, method: str, path: str, body=None, headers=None):
    h = {"Accept": "application/fhir+json", **(headers or {})}
    if token:
        h["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    if data:
        h["Content-Type"] = "application/json"
    req = urllib.request.Request(path if path.startswith("http") else base + path, method=method, data=data, headers=h)
    with urllib.request.urlopen(req, timeout=600) as r:
        return r.status, r.read(), dict(r.headers)


def peak_memory_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def cpu_seconds_by_thread(pid: int) -> dict[str, float]:
    """User + system CPU seconds per thread name (NIO event loops, the blocking pool, the Swift task pool)."""
    out: dict[str, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            stat = (task / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        name = name.rstrip("0123456789-# ") or name
        out[name] = out.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    # Threads that ended meanwhile are counted only in the process's own total.
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    out["(process)"] = (int(fields[11]) + int(fields[12])) / tick
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--courses", type=int, default=200)
    parser.add_argument("--patients", type=int, default=1)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--save-clinic", default=None, help="SQLite: keep a copy of the generated clinic's data folder here")
    parser.add_argument("--clinic", default=None, help="SQLite: start from a copy of this data folder instead of generating a clinic")
    parser.add_argument("--save-ndjson", default=None, help="keep the downloaded files in this folder, with their SHA-256")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="scartrack-bench-export-"))
    server = harness.Server(args.binary, data_dir, data_dir / "server.log")
    if args.database_url:
        import os
        os.environ["SCARTRACK_DATABASE_URL"] = args.database_url
    try:
        if args.clinic:
            shutil.copytree(args.clinic, data_dir, dirs_exist_ok=True)
        else:
            server.add_user(EMAIL, harness.TEST_PASSWORD, "admin")
            started = time.time()
            server.cli("demo", "--patients", str(args.patients), "--courses", str(args.courses), "--seed", "15")
            print(f"demo clinic of {args.courses} courses generated in {time.time() - started:.1f} s")
            if args.save_clinic:
                shutil.copytree(data_dir, args.save_clinic)
        server.start()
        base = server.base_url
        token = json.loads(call(base, None, "POST", "/api/v1/auth/sessions", {"email": EMAIL, "password": harness.TEST_PASSWORD})[1])["token"]
        cpu_before = cpu_seconds_by_thread(server.process.pid)
        t0 = time.time()
        _, _, head = call(base, token, "GET", "/fhir/$export", headers={"Prefer": "respond-async"})
        location = head["Content-Location"]
        while True:
            status, body, head = call(base, token, "GET", location)
            if status == 200:
                break
            time.sleep(0.2)  # a 429 would raise: poll at the server's Retry-After instead
            time.sleep(max(0.0, float(head.get("Retry-After", "1")) - 0.2))
        t1 = time.time()
        cpu_after = cpu_seconds_by_thread(server.process.pid)
        cpu = {k: round(v - cpu_before.get(k, 0.0), 2) for k, v in cpu_after.items() if v - cpu_before.get(k, 0.0) >= 0.01}
        manifest = json.loads(body)
        total, size = 0, 0
        saved, parts = [], {}
        for o in manifest["output"]:
            _, text, _ = call(base, token, "GET", o["url"])
            size += len(text)
            total += o["count"]
            if args.save_ndjson:
                parts[o["type"]] = parts.get(o["type"], 0) + 1
                name = f"{o['type']}-{parts[o['type']]}.ndjson"
                Path(args.save_ndjson).mkdir(parents=True, exist_ok=True)
                (Path(args.save_ndjson) / name).write_bytes(text)
                saved.append(f"{hashlib.sha256(text).hexdigest()}  {name}")
        if args.save_ndjson:
            (Path(args.save_ndjson) / "sha256.txt").write_text("\n".join(sorted(saved, key=lambda line: line.split()[1])) + "\n")
        t2 = time.time()
        # The status wait is quantised by Retry-After: the export's own time is in the job row.
        own = None
        if not args.database_url:
            import sqlite3
            with sqlite3.connect(data_dir / "scartrack.sqlite") as db:
                own = db.execute("SELECT completed_at - created_at FROM fhir_export_jobs ORDER BY created_at DESC LIMIT 1").fetchone()[0]
        result = {"job_seconds": round(own, 3) if own else None, "resources_per_second": round(total / own) if own else None,"courses": None if args.clinic else args.courses, "resources": total, "files": len(manifest["output"]), "bytes": size,
                  "export_seconds_incl_polling": round(t1 - t0, 2), "end_to_end_seconds": round(t2 - t0, 2),
                  "resources_per_second_incl_polling": round(total / (t1 - t0)), "server_peak_rss_kib": peak_memory_kib(server.process.pid),
                  "server_cpu_seconds_until_manifest": cpu.pop("(process)", 0.0), "server_cpu_by_thread": cpu}
        print(json.dumps(result, indent=1))
        return 0
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
