#!/usr/bin/env python3
"""Checks ScarTrack's command-line contracts against independent implementations.

`scartrack stats paired` must equal scipy.stats.ttest_rel and scipy.stats.wilcoxon with
their default arguments (and the t-based 95% CI of the mean difference) to 1e-9, on
generated data that exercises every branch: exact Wilcoxon (no ties/zeros, n <= 50),
sign-flip permutation (ties or zeros, n <= 13), the normal approximation, tiny samples,
missing values and invalid input.
"""
import argparse
import json
import math
import random
import subprocess
import sys

import numpy as np
from scipy import stats

TOLERANCE = 1e-9


def run(binary, args, stdin):
    p = subprocess.run([binary, *args], input=stdin, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def close(ours, theirs, what, failures):
    if theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
        if ours is not None:
            failures.append(f"{what}: expected null (scipy gives nan), got {ours}")
        return
    if ours is None or abs(ours - theirs) > TOLERANCE * max(1.0, abs(theirs)):
        failures.append(f"{what}: ours {ours!r} vs scipy {theirs!r}")


def dataset(rng, n, kind):
    if kind == "continuous":
        a = [round(rng.gauss(40, 12), 6) for _ in range(n)]
        b = [round(x - rng.gauss(3, 6), 6) for x in a]
    elif kind == "integer-scores":  # G&B-like integer scores: ties and zeros
        a = [rng.randint(5, 60) for _ in range(n)]
        b = [x - rng.randint(-3, 8) for x in a]
    else:  # zeros only in some pairs, no other ties
        a = [float(i) * 1.37 + 0.5 for i in range(n)]
        b = [x - (0 if i % 4 == 0 else (i + 1) * 0.71 * (-1) ** i) for i, x in enumerate(a)]
    return a, b


def check_case(binary, a, b, label, failures, missing_rows=0):
    lines = ["subject,a,b"] + [f"s{i},{x},{y}" for i, (x, y) in enumerate(zip(a, b))]
    lines += [f"m{i},,{i}" for i in range(missing_rows)]
    code, out, err = run(binary, ["stats", "paired"], "\n".join(lines) + "\n")
    if code != 0:
        failures.append(f"{label}: exit {code}: {err.strip()}")
        return
    ours = json.loads(out)
    if set(ours) != {"n", "dropped", "meanDifference", "ci95", "tTest", "wilcoxon"}:
        failures.append(f"{label}: keys {sorted(ours)}")
    if ours["n"] != len(a) or ours["dropped"] != missing_rows:
        failures.append(f"{label}: n/dropped {ours['n']}/{ours['dropped']}")
    x, y = np.array(a, dtype=float), np.array(b, dtype=float)
    if len(a) >= 2:
        t = stats.ttest_rel(x, y)
        close(ours["tTest"]["statistic"], float(t.statistic), f"{label} t", failures)
        close(ours["tTest"]["p"], float(t.pvalue), f"{label} t p", failures)
        if ours["tTest"]["df"] != len(a) - 1:
            failures.append(f"{label}: df {ours['tTest']['df']}")
        ci = t.confidence_interval(0.95)
        close(ours["ci95"][0], float(ci.low), f"{label} ci low", failures)
        close(ours["ci95"][1], float(ci.high), f"{label} ci high", failures)
    close(ours["meanDifference"], float(np.mean(x - y)), f"{label} mean", failures)
    d = x - y
    if np.any(d != 0):
        w = stats.wilcoxon(x, y)
        close(ours["wilcoxon"]["statistic"], float(w.statistic), f"{label} W", failures)
        close(ours["wilcoxon"]["p"], float(w.pvalue), f"{label} W p", failures)
        has_ties = len(set(np.abs(d[d != 0]))) < np.count_nonzero(d)
        exact = len(d) <= 50 and not has_ties and not np.any(d == 0) or (len(d) <= 13)
        expected_method = "exact" if exact else "approx"
        if ours["wilcoxon"]["method"] != expected_method:
            failures.append(f"{label}: method {ours['wilcoxon']['method']} expected {expected_method}")


def check_invalid(binary, failures):
    cases = {
        "subject,a\n1,2\n": 1,
        "subject,a,b\ns1,1,2\ns2,x,3\n": 3,
        "subject,a,b\ns1,1,2\ns1,3,4\n": 3,
        "subject,a,b\ns1,1\n": 2,
        "": 1,
    }
    for text, line in cases.items():
        code, out, err = run(binary, ["stats", "paired"], text)
        if code != 2 or f"line {line}" not in err:
            failures.append(f"invalid input {text!r}: exit {code}, stderr {err.strip()!r} (expected exit 2 naming line {line})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()
    rng = random.Random(20261121)
    failures, cases = [], 0
    for n in [1, 2, 3, 4, 5, 6, 8, 10, 12, 13, 14, 15, 20, 30, 49, 50, 51, 64, 120]:
        for kind in ["continuous", "integer-scores", "with-zeros"]:
            for rep in range(3):
                a, b = dataset(rng, n, kind)
                check_case(args.binary, a, b, f"n={n} {kind} #{rep}", failures, missing_rows=rep)
                cases += 1
    check_invalid(args.binary, failures)
    for f in failures[:40]:
        print("FAIL", f)
    passed = cases - len({f.split(':')[0] for f in failures})
    print(f"stats paired: {cases} generated datasets compared with scipy {stats.__name__} (tolerance {TOLERANCE})")
    print(f"{max(passed, 0)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
