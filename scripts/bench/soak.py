#!/usr/bin/env python3
"""`make soak`: 50 people using Stegvis for 10 minutes; no errors, and memory that stays flat.

    make soak                                       # SQLite, 10 minutes
    make soak SOAK_ARGS="--minutes 2"
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432 make soak SOAK_ARGS="--no-sqlite"

Not part of CI. On a scratch database with the benchmark's data (scripts/bench/dataset.py), gunicorn
(sync workers, as in production) serves Stegvis on a loopback socket, and locust, headless and
bounded by --run-time, plays the people in scripts/bench/locustfile.py: participants logging
activities and reading their pages, coaches reading the caseload and a participant's page, the
project leader opening the report and exporting it.

Every 10 s the resident memory (RSS) of each gunicorn worker is read from /proc. Workers are not
recycled during the run (GUNICORN_MAX_REQUESTS=0; production replaces a worker after about 2 000
requests, which would hide a leak here); a worker that is replaced anyway (a crash, a timeout) is
reported. Passes when:

- no request failed (no 5xx, no other unexpected status, no connection error) and gunicorn logged
  no traceback or worker timeout;
- every worker's RSS grew less than 10 % between minute 2 (a third of the run when it is shorter)
  and the end, and no worker was replaced.

The results go to docs/benchmarks/soak-<database>.json and docs/benchmarks/SOAK.md.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from scripts.bench import common, dataset  # noqa: E402
from scripts.bench.common import OUT, ROOT  # noqa: E402

LOCUSTFILE = ROOT / "scripts" / "bench" / "locustfile.py"
SAMPLE_EVERY = 10  # seconds
MAX_GROWTH = 0.10
LOG_PROBLEMS = ("Traceback", "WORKER TIMEOUT", "Worker exiting", "was sent SIGKILL")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10, help="how long the people use it (default 10)")
    parser.add_argument("--users", type=int, default=50, help="people at once (default 50)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--postgres", metavar="URL", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="a PostgreSQL server (postgresql+psycopg://user@host:port); default $BENCH_DATABASE_URL")
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL")
    parser.add_argument("--out", type=Path, default=OUT, help=f"where the results go (default {OUT})")
    return parser.parse_args()


def rss_kib(pid: int) -> int | None:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def run_locust(args, base: str, manifest_file: Path, prefix: Path, server) -> tuple[int, list[dict]]:
    """Locust as a subprocess, bounded by --run-time; the workers' memory sampled meanwhile."""
    seconds = max(30, round(args.minutes * 60))
    command = [str(Path(sys.executable).with_name("locust")), "-f", str(LOCUSTFILE), "--headless",
               "-u", str(args.users), "-r", "10", "--run-time", f"{seconds}s", "--stop-timeout", "15",
               "--host", base, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"]
    env = {**os.environ, "BENCH_MANIFEST": str(manifest_file)}
    samples = []
    began = time.monotonic()
    with open(prefix.with_suffix(".log"), "wb") as log:
        locust = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            while locust.poll() is None:
                workers = {pid: rss_kib(pid) for pid in server.worker_pids()}
                samples.append({"t": round(time.monotonic() - began, 1), "master_kib": rss_kib(server.process.pid),
                                "workers_kib": {str(pid): kib for pid, kib in workers.items() if kib}})
                with contextlib.suppress(subprocess.TimeoutExpired):
                    locust.wait(timeout=SAMPLE_EVERY)
        finally:
            if locust.poll() is None:
                locust.terminate()
                locust.wait(timeout=30)
    return locust.returncode, samples


def read_stats(prefix: Path) -> tuple[list[dict], list[dict]]:
    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(f"{prefix}_failures.csv", newline="") as f:
        failures = list(csv.DictReader(f))
    stats = [{
        "name": f"{r['Type']} {r['Name']}".strip(), "requests": int(r["Request Count"]),
        "failures": int(r["Failure Count"]), "p50_ms": float(r["50%"] or 0), "p95_ms": float(r["95%"] or 0),
        "p99_ms": float(r["99%"] or 0), "max_ms": float(r["Max Response Time"] or 0),
        "rps": round(float(r["Requests/s"] or 0), 2),
    } for r in rows]
    return stats, [{"name": f"{r['Method']} {r['Name']}", "error": r["Error"], "count": int(r["Occurrences"])}
                   for r in failures]


def memory(samples: list[dict], seconds: float) -> dict:
    """Each worker's RSS from minute 2 (a third of a shorter run) to the end, and replaced workers."""
    baseline_t = min(120.0, seconds / 3)
    first = samples[0]["workers_kib"] if samples else {}
    last = samples[-1]["workers_kib"] if samples else {}
    base = next((s for s in samples if s["t"] >= baseline_t), samples[-1] if samples else None)
    workers = {}
    for pid, end_kib in last.items():
        start_kib = base["workers_kib"].get(pid) if base else None
        growth = (end_kib - start_kib) / start_kib if start_kib else None
        workers[pid] = {"baseline_kib": start_kib, "end_kib": end_kib,
                        "growth": round(growth, 4) if growth is not None else None}
    seen = {pid for s in samples for pid in s["workers_kib"]}
    return {
        "baseline_at_s": base["t"] if base else None, "workers": workers,
        "replaced": sorted(seen - set(last)), "started_later": sorted(seen - set(first)),
        "max_growth": max((w["growth"] for w in workers.values() if w["growth"] is not None), default=None),
    }


def soak(args, label: str, url: str, folder: Path) -> dict:
    instance = folder / f"instance-{common.slug(label)}"
    print(f"{label}: making the data …", flush=True)
    manifest = dataset.build(url, instance, dataset.size_args())
    manifest_file = folder / f"manifest-{common.slug(label)}.json"
    common.write_json(manifest_file, manifest)
    # Exports: the leader downloads far more often than the 10 a minute a person may; no worker recycling.
    env = {"STEGVIS_RATELIMIT_EXPORTS": "100000 per minute", "GUNICORN_MAX_REQUESTS": "0"}
    print(f"  {args.users} people for {args.minutes:g} minutes …", flush=True)
    with common.server(url, instance, args.workers, env) as server:
        offset = len(server.log_text())
        code, samples = run_locust(args, server.url, manifest_file, folder / f"locust-{common.slug(label)}", server)
        log = server.log.read_text(errors="replace")
    stats, failures = read_stats(folder / f"locust-{common.slug(label)}")
    # Read before the server stops: its own "Worker exiting" lines at the end are not problems.
    problems = [line for line in log[offset:].splitlines() if any(p in line for p in LOG_PROBLEMS)]
    mem = memory(samples, args.minutes * 60)
    total = next((s for s in stats if s["name"] == "Aggregated"), {"requests": 0, "failures": 0})
    misses = []
    if total["failures"] or failures:
        misses.append(f"{total['failures']} failed requests")
    if not total["requests"]:
        misses.append("no requests")
    if problems:
        misses.append(f"{len(problems)} problems in gunicorn's log")
    if mem["replaced"] or mem["started_later"]:
        misses.append(f"workers replaced: {mem['replaced']}")
    if mem["max_growth"] is None or mem["max_growth"] >= MAX_GROWTH:
        misses.append(f"worker memory grew {mem['max_growth']:.1%}" if mem["max_growth"] is not None
                      else "no memory samples")
    return {
        "database": label, "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": common.machine(url, args.workers), "dataset": manifest["counts"],
        "users": args.users, "minutes": args.minutes, "locust_exit": code, "requests": stats,
        "failures": failures, "gunicorn_log_problems": problems[:20], "memory": mem, "samples": samples,
        "passed": not misses, "missed": misses,
    }


def write_markdown(out: Path) -> None:
    runs = [json.loads(p.read_text()) for p in sorted(out.glob("soak-*.json"))]
    lines = ["# Soak runs (`make soak`)", "",
             "Written by `scripts/bench/soak.py`; do not edit by hand. People (of 50: 40 participants, 8 coaches,",
             "2 leader sessions) use Stegvis on the benchmark's data; a run passes with no failed request and",
             "every gunicorn worker's memory growing less than 10 % from minute 2 (a third of a shorter run) to",
             "the end, with no worker replaced (workers are not recycled during the run).", ""]
    for run in runs:
        m, mem = run["machine"], run["memory"]
        total = next((s for s in run["requests"] if s["name"] == "Aggregated"), None) or {}
        lines += [
            f"## {run['database']}: {run['users']} people for {run['minutes']:g} minutes, "
            f"{'passed' if run['passed'] else 'failed'}", "",
            f"- Measured {run['when']} on {m['cores']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM; "
            f"Python {m['python']}, gunicorn {m['gunicorn']} with {m['gunicorn_workers']} sync workers, "
            f"{m['database']}.",
            f"- {total.get('requests', 0):,} requests, {total.get('failures', 0)} failed, "
            f"{total.get('rps', 0):.1f} per second; p95 {total.get('p95_ms', 0):.0f} ms.",
            "- Worker memory (RSS) from " + f"{mem['baseline_at_s']:.0f} s to the end: " + ", ".join(
                f"{w['baseline_kib'] / 1024:.0f} → {w['end_kib'] / 1024:.0f} MiB ({w['growth']:+.1%})"
                for w in mem["workers"].values() if w["growth"] is not None)
            + f"; workers replaced: {len(mem['replaced'])}.",
        ]
        if run["missed"]:
            lines.append(f"- Missed: {'; '.join(run['missed'])}.")
        lines += ["", "| Request | Count | Failed | p50 ms | p95 ms | p99 ms | Max ms |",
                  "|---|--:|--:|--:|--:|--:|--:|"]
        lines += [f"| {s['name']} | {s['requests']:,} | {s['failures']} | {s['p50_ms']:.0f} | {s['p95_ms']:.0f} | "
                  f"{s['p99_ms']:.0f} | {s['max_ms']:.0f} |" for s in run["requests"]]
        lines.append("")
    (out / "SOAK.md").write_text("\n".join(lines))


def main() -> int:
    args = parse_args()
    os.environ.setdefault("STEGVIS_ENV", "development")
    passed = True
    for label, url, folder in common.scratch_runs(args, "stegvis-soak-"):
        run = soak(args, label, url, folder)
        common.write_json(args.out / f"soak-{common.slug(label)}.json", run)
        total = next((s for s in run["requests"] if s["name"] == "Aggregated"), {})
        print(f"  {total.get('requests', 0):,} requests, {total.get('failures', 0)} failed; "
              f"worker memory growth {run['memory']['max_growth']}; "
              f"{'passed' if run['passed'] else 'FAILED: ' + '; '.join(run['missed'])}", flush=True)
        passed &= run["passed"]
    write_markdown(args.out)
    print(f"Written: {args.out / 'SOAK.md'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
