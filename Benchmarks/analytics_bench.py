"""The 1M-session analytics benchmark (issue 16), `Benchmarks/run --only analytics`: per engine a
fresh database filled by `scartrack demo --synthetic-sessions N` (bulk, batched inserts; its
rate is reported), then `GET /api/v1/analytics` timed with each filter (none, a one-year date
range, one practitioner, one protocol) and the start-up time on that database. The figures go
into their own section of PERFORMANCE.md, which the rest of the report keeps."""
import json
import os
import re
import sqlite3
import subprocess
import time
import urllib.parse

import bench

START, END = "<!-- analytics-1m:start -->", "<!-- analytics-1m:end -->"
# Measured on main before the facts tables (issue 16): 1.03M signed sessions unfiltered in 34.6 s, linear in the
# sessions (30 µs each), so the chart scan at another size is estimated at that rate.
BEFORE_MS, BEFORE_SESSIONS, BEFORE_US_PER_SESSION = 34600, "1.03M", 34600 * 1000 / 1_030_000


def query(server, engine, sql):
    if engine.name == "SQLite":  # bench runs as __main__, so its classes are not this module's
        db = sqlite3.connect(os.path.join(server.data_dir, "scartrack.sqlite"))
        try:
            return db.execute(sql).fetchone()[0]
        finally:
            db.close()
    out = subprocess.run(["psql", engine.url, "-X", "-A", "-t", "-c", sql], capture_output=True, text=True, check=True).stdout
    return out.strip()


def run_engine(args, engine, workdir):
    server = bench.Server(args.binary, workdir, engine)
    r = {"engine": engine.name}
    try:
        generated = os.path.join(workdir, "generated.json")  # written once the data set is complete (--keep-data)
        if os.path.exists(generated):
            with open(generated) as f:
                r.update(json.load(f))
            bench.log(f"{engine.name}: reusing the kept data set: {r['demo']}")
        else:
            bench.log(f"{engine.name}: demo with {args.sessions} synthetic signed sessions")
            server.cli("user", "add", "--email", bench.ADMIN, "--role", "admin", "--name", "Bench Admin", stdin=bench.PASSWORD + "\n")
            started = time.perf_counter()
            out = server.cli("demo", "--patients", "5", "--no-day", "--synthetic-sessions", str(args.sessions), timeout=7200)
            r["generate_s"] = time.perf_counter() - started
            r["demo"] = next((line for line in out.splitlines() if line.startswith("Synthetic sessions:")), out.strip().splitlines()[-1])
            with open(generated, "w") as f:
                json.dump({"demo": r["demo"], "generate_s": r["generate_s"]}, f)
        r["sessions"] = int(query(server, engine, "SELECT COUNT(*) FROM treatment_sessions WHERE status = 'signed'"))
        practitioner = query(server, engine, "SELECT practitioner_id FROM analytics_session_facts GROUP BY practitioner_id "
                                             "ORDER BY COUNT(*) DESC LIMIT 1")
        template = query(server, engine, "SELECT template_id FROM analytics_session_facts WHERE template_id IS NOT NULL "
                                         "GROUP BY template_id ORDER BY COUNT(*) DESC LIMIT 1")
        last = query(server, engine, "SELECT MAX(performed_on) FROM analytics_session_facts")
        year_before = f"{int(last[:4]) - 1}{last[4:]}"
        server.start()
        token = bench.Clinic.sign_in(type("C", (), {"server": server})(), bench.PRACTITIONER, bench.DEMO_PASSWORD)
        filters = [("no filter", {}), (f"date range {year_before} – {last}", {"from": year_before, "to": last}),
                   ("one practitioner", {"practitioner": practitioner}), ("one protocol", {"protocol": template}),
                   ("all three", {"from": year_before, "to": last, "practitioner": practitioner, "protocol": template})]
        r["analytics"] = []
        for label, params in filters:
            url = server.base + "/api/v1/analytics" + ("?" + urllib.parse.urlencode(params) if params else "")
            bench.timed_gets(url, token, 1)  # warm the cache once
            m = bench.timed_gets(url, token, args.repeats)
            m["label"] = label
            r["analytics"].append(m)
            bench.log(f"{engine.name}: analytics, {label}: {m['median_ms']:.0f} ms (status {m['status']})")
        server.stop()
        r["startup_s"] = min(bench.restart(server) for _ in range(3))
        bench.log(f"{engine.name}: start-up {r['startup_s'] * 1000:.0f} ms")
    finally:
        server.stop()
    return r


def section(m, results, binary):
    lines = [START, "## Clinic analytics over 1M signed sessions (analytics facts)", "",
             "Written by `Benchmarks/run --only analytics` (add `--postgres` for PostgreSQL). A fresh database per engine is filled by "
             "`scartrack demo --synthetic-sessions N` (synthetic courses in batched multi-row inserts, then the analytics facts built by "
             "the statements that keep them); `GET /api/v1/analytics` is then timed as the practitioner (median of "
             f"the repeats after one warm-up request, through HTTP, audited) with each filter, on a **{bench.build_kind(binary)} build**.", "",
             f"- Machine: {m['cores']} cores, {m['ram_gb']:.1f} GB RAM, {m['cpu']}, Linux {m['kernel']}",
             f"- Date: {m['date']}; commit {m['commit']}",
             f"- Before the facts (main, same machine, issue 16): {BEFORE_SESSIONS} signed sessions unfiltered {BEFORE_MS / 1000:.1f} s, "
             "linear (30 µs per session); target < 300 ms at 1M with every filter.", ""]
    for r in results:
        lines += [f"### {r['engine']}: {r['sessions']:,} signed sessions", "",
                  f"Data set: {r['demo']} (whole command {r['generate_s']:.0f} s).", "",
                  "| analytics filter | median | target (at 1M) | vs. the chart scan at this size |", "|---|---|---|---|"]
        before = r["sessions"] * BEFORE_US_PER_SESSION / 1000
        for a in r["analytics"]:
            ms = a["median_ms"]
            judged = bench.verdict(ms < 300, "%.0f ms" % ms) if r["sessions"] >= 900_000 else "not judged: not 1M sessions"
            lines.append(f"| {a['label']} | {ms:.0f} ms | < 300 ms: {judged} | "
                         f"{before / max(ms, 0.001):.1f}× faster than ≈ {before / 1000:.1f} s (30 µs/session) |")
        lines += ["", f"Start-up to the first `/health/live` answer on this database (best of 3): {r['startup_s'] * 1000:.0f} ms "
                      f"(target < 1 s: {bench.verdict(r['startup_s'] < 1, '%.2f s' % r['startup_s'])}).", ""]
    lines.append(END)
    return "\n".join(lines)


def write(path, m, results, binary):
    text = open(path).read() if os.path.exists(path) else "# ScarTrack performance\n\n" + bench.HISTORY_MARK + "\n"
    block = section(m, results, binary)
    if START in text and END in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    elif bench.HISTORY_MARK in text:
        text = text.replace(bench.HISTORY_MARK, block + "\n\n" + bench.HISTORY_MARK, 1)
    else:
        text += "\n" + block + "\n"
    with open(path, "w") as f:
        f.write(text)
