#!/usr/bin/env python3
"""Fuzzes the ScarTrack API with schemathesis against its own /openapi.json.

    python3 Tests/fuzz/run.py --binary .build/debug/scartrack --artifacts DIR

Starts the built server on 127.0.0.1 on SQLite with a fresh data dir, adds an admin
(with `scartrack user add`), signs in through the API for a bearer token, and runs
`schemathesis run` with a fixed seed and a bounded number of examples per operation,
with valid and invalid data (--mode all), checking that no response is a 5xx, that every
response conforms to the document (status code, content type and schema), that invalid
data is refused with a 4xx and valid data is not refused as malformed (the allowed
answers are in schemathesis.toml beside this file). Exits non-zero on any finding; the
schemathesis output, a JUnit report and the server log go to --artifacts.

Bounded for CI: about 80 operations x --max-examples (default 30) requests per mode in
the fuzzing phase, plus the coverage phase's boundary and invalid values: about 9,000
cases, 80-140 s on two cores.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "browser"))
import harness  # noqa: E402

ADMIN_EMAIL = "fuzz.admin@test.example"
SEED = 7345012

# Every response: no 5xx, and as documented (status, content type, schema). Negative data
# (what the document calls invalid: a wrong format, a value outside an enum or a length, a
# missing required field) must be refused with a 4xx; positive data must not be refused
# (issue 11, item 10).
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
]

# Operations left out, and why. Signing out would end the fuzzer's own token halfway.
INTERPRETER_FLAKE = "AST constructor recursion depth mismatch"
EXCLUDED_OPERATION_IDS = ["signOut"]


def duplicate_keys(path: Path) -> list[str]:
    """JSON parsers keep the last of two equal keys silently (two schemas named alike would
    make one of them vanish), so the document must have none."""
    found: list[str] = []

    def hook(pairs):
        keys = [k for k, _ in pairs]
        found.extend(sorted({k for k in keys if keys.count(k) > 1}))
        return dict(pairs)
    json.loads(path.read_text(), object_pairs_hook=hook)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--artifacts", default="test-artifacts")
    parser.add_argument("--max-examples", type=int, default=30)
    args = parser.parse_args()
    artifacts = Path(args.artifacts).resolve()
    artifacts.mkdir(parents=True, exist_ok=True)

    document = HERE.parent.parent / "Sources/ScarServer/Resources/API/openapi.json"
    duplicates = duplicate_keys(document)
    if duplicates:
        print(f"openapi.json has duplicate keys: {', '.join(duplicates)}", file=sys.stderr)
        return 1

    data_dir = Path(tempfile.mkdtemp(prefix="scartrack-fuzz-"))
    server = harness.Server(args.binary, data_dir, artifacts / "fuzz-server.log")
    try:
        server.add_user(ADMIN_EMAIL, harness.TEST_PASSWORD, "admin")
        server.start()
        request = urllib.request.Request(
            server.base_url + "/api/v1/auth/sessions", method="POST",
            data=json.dumps({"email": ADMIN_EMAIL, "password": harness.TEST_PASSWORD}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            token = json.loads(response.read())["token"]

        command = [
            "schemathesis", "--config-file", str(HERE / "schemathesis.toml"),
            "run", server.base_url + "/openapi.json",
            "--url", server.base_url,
            "--header", f"Authorization: Bearer {token}",
            "--checks", ",".join(CHECKS),
            # Valid and invalid data both: what the document calls invalid must be refused (4xx),
            # what it calls valid must not be refused as malformed.
            "--mode", "all",
            "--phases", "examples,coverage,fuzzing",
            "--max-examples", str(args.max_examples),
            "--seed", str(SEED),
            "--workers", "2",
            "--request-timeout", "30",
            "--generation-database", "none",
            "--suppress-health-check", "all",
            "--no-color",
            "--report", "junit",
            "--report-junit-path", str(artifacts / "schemathesis-junit.xml"),
        ]
        for operation_id in EXCLUDED_OPERATION_IDS:
            command += ["--exclude-operation-id", operation_id]
        printable = [part if not part.startswith("Authorization:") else "Authorization: Bearer ***" for part in command]
        print("$ " + " ".join(printable), flush=True)
        for attempt in (1, 2):
            output = []
            with open(artifacts / "schemathesis.log", "w") as log:
                process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                for line in process.stdout:
                    sys.stdout.write(line)
                    log.write(line)
                    output.append(line)
                code = process.wait()
            text = "".join(output)
            # CPython 3.11's ast module can raise this spuriously when schemathesis's worker threads
            # compile at once (python/cpython#106905): an interpreter error, not a finding about the
            # server. Run once more, saying so; a run with any real failure is never repeated.
            if code != 0 and attempt == 1 and INTERPRETER_FLAKE in text and "FAILURES" not in text:
                print(f"schemathesis hit CPython's '{INTERPRETER_FLAKE}' (python/cpython#106905), not a finding; running it once more",
                      file=sys.stderr, flush=True)
                continue
            break
        if not server.is_running():
            print("the server is no longer running:\n" + server.log_tail(), file=sys.stderr)
            return 1
        if code != 0:
            print(f"schemathesis found problems (exit {code}); see {artifacts / 'schemathesis.log'}", file=sys.stderr)
        return code
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
