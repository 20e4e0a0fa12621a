#!/usr/bin/env python3
"""Times tools against each other for `make bench` (tests/bench/lib.sh).

    measure.py LABEL RUNS WARMUP RESULTS -- NAME CMD... [:: NAME CMD...]...

The first tool is glance's; every other one is compared with it. After
WARMUP runs of each (the first one's exit code and first output line are
printed, so a reader sees each tool did the job), the tools take turns run
by run, the order reversed every other round, so load from elsewhere on a
shared machine weighs on all of them alike (the loop is runner.c's: wall
time from fork to reap, CPU time (user + system) and peak RSS from the
child's rusage). Prints the medians and the ratios
glance / tool, and appends one JSON line per tool to RESULTS. A tool
that runs past TIMEOUT seconds (env BENCH_TIMEOUT, default 60) is killed
and its row says so: a benchmark reports, it never hangs.
"""
import json
import os
import statistics
import subprocess
import sys

TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "60"))
RUNNER = os.environ.get("BENCH_RUNNER", "runner")


def parse(argv):
    if len(argv) < 6 or argv[4] != "--":
        sys.exit("usage: measure.py LABEL RUNS WARMUP RESULTS -- NAME CMD... [:: NAME CMD...]")
    label, runs, warmup, results = argv[0], int(argv[1]), int(argv[2]), argv[3]
    tools, cur = [], []
    for a in argv[5:] + ["::"]:
        if a == "::":
            if len(cur) < 2:
                sys.exit("measure.py: each tool needs a name and a command")
            tools.append((cur[0], cur[1:]))
            cur = []
        else:
            cur.append(a)
    return label, max(runs, 1), max(warmup, 0), results, tools


def show(name, cmd):
    """The first warm-up run, with its output kept: exit code and first line."""
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=TIMEOUT, text=True, errors="replace")
        first = (p.stdout or p.stderr).split("\n", 1)[0]
        print("    %-28s exit %d: %s" % (name, p.returncode, first[:110]))
    except (OSError, subprocess.TimeoutExpired) as e:
        print("    %-28s did not run: %s" % (name, e))
        return False
    return True


def main():
    label, runs, warmup, results, tools = parse(sys.argv[1:])
    print("  %s" % label)
    live = [(n, c) for n, c in tools if show(n, c)]
    if not live:
        return
    argv = [RUNNER, "%d" % TIMEOUT, str(runs), str(max(warmup - 1, 0)), "--"]
    for i, (_, c) in enumerate(live):
        argv += (["::"] if i else []) + c
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if p.returncode != 0:
        print("    runner failed (exit %d): %s" % (p.returncode, p.stderr.strip()))
        return
    samples = {n: [] for n, _ in live}
    rcs = {n: set() for n, _ in live}
    for line in p.stdout.splitlines():
        t, wall, cpu, rss, st = (int(x) for x in line.split())
        n = live[t][0]
        samples[n].append((wall / 1e9, cpu / 1e9, rss))
        rcs[n].add(None if st < 0 else st)
    report(label, runs, live, samples, rcs, results)


def report(label, runs, live, samples, rcs, results):
    med = {}
    for n, _ in live:
        s = samples[n]
        med[n] = tuple(statistics.median(x[i] for x in s) for i in range(3))
    ref = live[0][0] if live else None
    print("    %-28s %9s %9s %8s   %s" % ("median of %d" % runs, "wall ms", "cpu ms",
                                         "rss KB", "glance/this: wall cpu rss"))
    with open(results, "a") as out:
        for n, _ in live:
            w, c, m = med[n]
            ratio = ""
            rec = {"bench": label, "tool": n, "runs": runs, "wall_ms": round(w * 1e3, 3),
                   "cpu_ms": round(c * 1e3, 3), "rss_kb": int(m),
                   "exit": sorted(x if x is not None else -1 for x in rcs[n])}
            if n != ref and ref in med:
                rw, rc_, rm = med[ref]
                q = [rw / w if w else 0, rc_ / c if c else 0, rm / m if m else 0]
                ratio = "%.2fx %.2fx %.2fx" % tuple(q)
                rec["ratio_wall"], rec["ratio_cpu"], rec["ratio_rss"] = (round(x, 3) for x in q)
            bad = "" if None not in rcs[n] else "  (killed after %gs)" % TIMEOUT
            print("    %-28s %9.2f %9.2f %8d   %s%s" % (n, w * 1e3, c * 1e3, m, ratio, bad))
            out.write(json.dumps(rec) + "\n")


if __name__ == "__main__":
    main()
