"""Runs the ScarTrack browser scenarios against a freshly started server.

    python3 Tests/browser/run.py --binary .build/debug/scartrack --artifacts DIR

Creates a temporary data dir, adds a practitioner with `scartrack user add`,
starts `scartrack serve` on a free port, runs every `scenario_*.py` module's
`run(ctx)` (see harness.Context), stops the server with SIGTERM, and exits
non-zero if anything failed. Screenshots and server.log go to --artifacts.
"""

import argparse
import importlib
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import harness  # noqa: E402

USER_EMAIL = "practitioner@test.example"
USER_ROLE = "practitioner"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run ScarTrack browser scenarios.")
    parser.add_argument("--binary", required=True, help="path to the built scartrack executable")
    parser.add_argument("--artifacts", default="test-artifacts", help="where screenshots and logs go")
    parser.add_argument("--only", action="append", default=[],
                        help="run only scenarios whose module name contains this (repeatable)")
    parser.add_argument("--keep-data", action="store_true", help="keep the temporary data dir for debugging")
    return parser.parse_args()


def discover(only: list[str]) -> list[str]:
    names = sorted(path.stem for path in HERE.glob("scenario_*.py"))
    return [name for name in names if not only or any(part in name for part in only)]


def terminate_on_sigterm() -> None:
    # CI cancels jobs with SIGTERM; turn it into an exception so the `finally`
    # blocks still stop the server and close the browsers.
    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, handler)


def run_scenario(name: str, server: harness.Server, artifacts: Path) -> bool:
    ctx = harness.Context(server=server, artifacts=artifacts, email=USER_EMAIL,
                          password=harness.TEST_PASSWORD, scenario=name)
    started = time.monotonic()
    try:
        module = importlib.import_module(name)
        module.run(ctx)
        passed = True
    except Exception:
        passed = False
        traceback.print_exc()
        ctx.save_failure_evidence()
        if not server.is_running():
            print(f"    the server is no longer running; last log lines:\n{server.log_tail()}")
    finally:
        ctx.close()
    print(f"{'PASS' if passed else 'FAIL'} {name} ({time.monotonic() - started:.1f}s)", flush=True)
    return passed


def main() -> int:
    args = parse_args()
    binary = Path(args.binary)
    if not binary.is_file():
        print(f"FAIL setup: no server binary at {binary} (run `swift build` first)")
        print("0 passed, 1 failed")
        return 1
    artifacts = Path(args.artifacts).resolve()
    artifacts.mkdir(parents=True, exist_ok=True)
    log_path = artifacts / "server.log"
    log_path.write_text("")  # one log per run, not an ever-growing file
    scenarios = discover(args.only)
    if not scenarios:
        print("FAIL setup: no scenario_*.py matched")
        print("0 passed, 1 failed")
        return 1

    terminate_on_sigterm()
    data_dir = Path(tempfile.mkdtemp(prefix="scartrack-browser-"))
    server = harness.Server(binary, data_dir, log_path)
    passed = failed = 0
    try:
        try:
            # The user exists before the server starts, so the test never
            # depends on the one-time admin password printed at first start.
            server.add_user(USER_EMAIL, harness.TEST_PASSWORD, USER_ROLE)
            server.start()
            print(f"server ready at {server.base_url} (data {data_dir}, log {log_path})", flush=True)
        except Exception as error:
            print(f"FAIL setup: {error}")
            print(f"server log tail:\n{server.log_tail()}")
            failed += 1
            scenarios = []
        for name in scenarios:
            if run_scenario(name, server, artifacts):
                passed += 1
            else:
                failed += 1
    finally:
        if not server.stop():
            print("FAIL server shutdown: scartrack ignored SIGTERM and had to be killed")
            failed += 1
        if args.keep_data:
            print(f"kept data dir {data_dir}")
        else:
            harness.remove_tree(data_dir)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
