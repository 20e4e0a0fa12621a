#!/usr/bin/env python3
"""Prints make bench's results file (one JSON object a line, measure.py's
and run.sh's) as one Markdown table: each pairing's tools, their median
wall time, CPU time and peak RSS, and glance / tool for the wall time."""
import json
import sys


def main():
    rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    print("| pairing | tool | wall ms | CPU ms | peak RSS KB | glance/tool wall |")
    print("|---|---|---:|---:|---:|---:|")
    last = None
    for r in rows:
        if "tool" not in r:
            continue
        name = r["bench"] if r["bench"] != last else ""
        last = r["bench"]
        ratio = "%.2fx" % r["ratio_wall"] if "ratio_wall" in r else ""
        bad = "" if -1 not in r["exit"] else " (killed)"
        print("| %s | %s%s | %.2f | %.2f | %d | %s |" % (name.replace("|", "\\|"), r["tool"],
                                                       bad, r["wall_ms"], r["cpu_ms"],
                                                       r["rss_kb"], ratio))
    for r in rows:
        if r.get("bench") == "glance run 5000/min":
            print("\nglance run, 5000 checks a minute: %(per_minute)s results a minute, "
                  "%(first_minute)s of 5000 first runs in the first minute, lag median "
                  "%(lag_median_s)s s, max %(lag_max_s)s s; CPU a check: glance "
                  "%(cpu_ms_glance_per_check)s ms, the check %(cpu_ms_checks_per_check)s ms" % r)


if __name__ == "__main__":
    main()
