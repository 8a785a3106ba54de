#!/usr/bin/env python3
"""`make bench`: the pages people use most, under load, against a bare Flask page on the same gunicorn.

    make bench                                     # SQLite, 10 000 participations
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432 make bench   # and PostgreSQL
    .venv/bin/python scripts/bench/pages.py --large --postgres URL --no-sqlite --seconds 15

For each database (a scratch one, dropped afterwards) it makes the data (scripts/bench/dataset.py),
starts gunicorn (sync workers, as in production) with Stegvis and a bare Flask app in the same
server (scripts/bench/bench_wsgi.py), signs in through the real sign-in form, and runs wrk on:

    home       a participant's start page            GET  /home
    plan       the same participant's plan           GET  /plan
    log_post   saving an activity (several people)   POST /log   (answers 303)
    caseload   a coach's caseload of 60              GET  /coach
    report     the leader's goal report              GET  /project/<id>/report
    floor      Stegvis's cheapest signed-in answer   GET  /log/outbox  (no target: for comparison)

The floor is what any signed-in request costs before the page's own work: the session looked up,
the participant's participation, the security headers; no template. Each page's p95 is also shown
divided by the floor's, which says how much of a page's time is the page itself.

Each page is measured between two runs of the bare page of the same size (bare, page, bare), so a
machine that gets slower or faster during the run moves both. Absolute numbers drift by a third
between runs on a shared 2-core machine; the ratio to the bare page is what is compared.

Targets: participant pages p95 ≤ 3 × the bare page's p95; caseload and report p95 ≤ 5 × bare and
≤ 1 s. The results go to docs/benchmarks/pages-<database>.json and docs/benchmarks/PAGES.md; the
exit status is 1 when a target is missed. `--profile` then profiles each page that missed, in
process (cProfile, with the SQL statements counted), against the same data.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import shutil
import subprocess
import sys
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from scripts.bench import common, dataset  # noqa: E402
from scripts.bench.common import OUT, ROOT  # noqa: E402

LUA = ROOT / "scripts" / "bench" / "wrk.lua"
LOG_WRITERS = 8  # participants whose log the POST fills, in turn


@dataclass
class Page:
    name: str
    what: str
    who: str  # participant | writers | coach | leader
    method: str
    path: str
    expected: int
    max_ratio: float | None  # None: measured for comparison, no target
    max_p95_s: float | None = None

    @property
    def group(self) -> str:
        return "participant" if self.who in ("participant", "writers") else "staff"


def pages(manifest: dict) -> list[Page]:
    report = f"/project/{manifest['project_public_id']}/report"
    return [
        Page("home", "Participant's home", "participant", "GET", "/home", 200, 3),
        Page("plan", "Participant's plan", "participant", "GET", "/plan", 200, 3),
        Page("log_post", "Save an activity (POST /log)", "writers", "POST", "/log", 303, 3),
        Page("caseload", "Coach's caseload of 60", "coach", "GET", "/coach", 200, 5, 1.0),
        Page("report", "Leader's goal report", "leader", "GET", report, 200, 5, 1.0),
        Page("floor", "Floor: cheapest signed-in answer (GET /log/outbox, JSON)", "participant", "GET",
             "/log/outbox", 200, None),
    ]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", action="store_true",
                        help="100 000 participations, 5 million activities, 300 000 survey answers")
    parser.add_argument("--postgres", metavar="URL", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="a PostgreSQL server (postgresql+psycopg://user@host:port); default $BENCH_DATABASE_URL")
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL")
    parser.add_argument("--participations", type=int, default=0,
                        help="another size, for trying the script out (50 activities and 3 answers each)")
    parser.add_argument("--seconds", type=int, default=10, help="each wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections (default 4: two per worker)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2, one per core)")
    parser.add_argument("--pages", default="", help="only these pages, e.g. home,caseload")
    parser.add_argument("--profile", action="store_true", help="profile the pages that miss their target")
    parser.add_argument("--out", type=Path, default=OUT, help=f"where the results go (default {OUT})")
    return parser.parse_args()


# -- wrk ------------------------------------------------------------------------------------------


def wrk(args, url: str, seconds: int, method: str, body: str, identities, least_bytes: int = 0) -> dict:
    """One wrk run. Errors: answers of 400 and above, socket errors and timeouts; and every answer
    when they are smaller than `least_bytes` on average (a redirect instead of the page).

    When wrk stops, the workers may still be busy with requests it gave up waiting for (a slow page
    under -c4); the run waits for them, so that the next run does not measure them."""
    command = [args.wrk, "-t1", f"-c{args.connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(LUA),
               url, "--", method, body]
    for cookie, token in identities:
        command += [cookie, token]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)  # noqa: S603
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    per_answer = raw["bytes"] / max(1, raw["requests"])
    errors = raw["status_errors"] + raw["connect_errors"] + raw["read_errors"] + raw["write_errors"] + raw["timeouts"]
    if per_answer < least_bytes:
        errors = max(errors, raw["requests"])
    time.sleep(min(10.0, 0.2 + 2 * raw["max_us"] / 1e6))  # the workers finish what wrk left behind
    return {
        "requests": raw["requests"], "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": raw["p50_us"] / 1000, "p95_ms": raw["p95_us"] / 1000, "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000, "errors": errors, "bytes_per_answer": round(per_answer), "wrk": raw,
    }


def form_body(manifest: dict) -> str:
    """The activity form as a browser sends it; wrk.lua fills in the token and a new client id."""
    fields = {"client_id": "{CLIENT_ID}", "occurred_on": dt.date.today().isoformat(), "kind": "job_application",
              "minutes": "60", "feeling": "4", "note": "Sökte jobb på lagret.", "step": "", "csrf_token": "{TOKEN}"}
    return urllib.parse.urlencode(fields, safe="{}")


def identities_for(base: str, manifest: dict, page: Page) -> list[tuple[str, str]]:
    """(cookie, CSRF token) of each person the page is requested as; checks each answers as expected."""
    logins = {
        "participant": manifest["participants"][:1],
        # Not the participant whose home is measured: their week stays as it was.
        "writers": manifest["participants"][1:1 + LOG_WRITERS],
        "coach": [manifest["caseload_coach"]],
        "leader": [manifest["leader"]],
    }[page.who]
    found = []
    for login in logins:
        session = common.sign_in(base, login, manifest["password"])
        shown = session.get(base + ("/log" if page.method == "POST" else page.path), timeout=common.TIMEOUT)
        if shown.status_code != 200:
            raise RuntimeError(f"{page.path} as {login} answered {shown.status_code}")
        # Only a POST sends a token (a JSON answer, such as the floor's, has no page to take it from).
        token = urllib.parse.quote(common.csrf_token(shown.text), safe="") if page.method == "POST" else "-"
        found.append((common.cookie_header(session), token))
    return found


def page_size(base: str, page: Page, identities, manifest: dict) -> int:
    """The bytes of the page's answer (the body), which the bare page copies."""
    import requests

    cookie, token = identities[0]
    headers = {"Cookie": cookie}
    if page.method == "GET":
        return len(requests.get(base + page.path, headers=headers, timeout=common.TIMEOUT).content)
    body = form_body(manifest).replace("{TOKEN}", token).replace("{CLIENT_ID}", str(uuid.uuid4()))
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    answer = requests.post(base + page.path, data=body, headers=headers, allow_redirects=False,
                           timeout=common.TIMEOUT)
    if answer.status_code != page.expected:
        raise RuntimeError(f"POST {page.path} answered {answer.status_code}")
    return len(answer.content)


def measure(args, base: str, manifest: dict, chosen: list[Page]) -> list[dict]:
    results = []
    body = form_body(manifest)
    for page in chosen:
        identities = identities_for(base, manifest, page)
        size = page_size(base, page, identities, manifest)
        bare_url = f"{base}/_bare/{size}"
        page_body = body if page.method == "POST" else "-"
        print(f"  {page.name}: {size:,} bytes; warm-up, then bare / page / bare, {args.seconds} s each", flush=True)
        # The page's own body at least: a page that answered with a redirect to the sign-in page is an error.
        least = size if page.method == "GET" else 0
        wrk(args, base + page.path, 2, page.method, page_body, identities)
        wrk(args, bare_url, 2, page.method, page_body, identities)
        before = wrk(args, bare_url, args.seconds, page.method, page_body, identities, least)
        measured = wrk(args, base + page.path, args.seconds, page.method, page_body, identities, least)
        after = wrk(args, bare_url, args.seconds, page.method, page_body, identities, least)
        bare_p95 = (before["p95_ms"] + after["p95_ms"]) / 2
        ratio = measured["p95_ms"] / bare_p95 if bare_p95 else float("inf")
        misses = []
        if page.max_ratio is not None and ratio > page.max_ratio:
            misses.append(f"p95 {ratio:.1f}× bare > {page.max_ratio:g}×")
        if page.max_p95_s is not None and measured["p95_ms"] > page.max_p95_s * 1000:
            misses.append(f"p95 {measured['p95_ms']:.0f} ms > {page.max_p95_s * 1000:.0f} ms")
        if measured["errors"] or before["errors"] or after["errors"]:
            misses.append(f"{measured['errors']} errors")
        results.append({
            "page": page.name, "what": page.what, "method": page.method,
            "path": page.path if page.who != "leader" else "/project/<public id>/report",
            "people": len(identities), "bytes": size, **{k: v for k, v in measured.items() if k != "wrk"},
            "bare": {"bytes": size, "before": _short(before), "after": _short(after), "p95_ms": round(bare_p95, 2)},
            "ratio_p95": round(ratio, 2),
            "target": (f"p95 ≤ {page.max_ratio:g}× bare" + (f" and ≤ {page.max_p95_s:g} s" if page.max_p95_s else ""))
            if page.max_ratio is not None else "none (for comparison)",
            "ok": not misses, "missed": misses,
        })
        print(f"    p95 {measured['p95_ms']:.1f} ms, bare {bare_p95:.1f} ms: {ratio:.1f}× "
              f"({'ok' if not misses else '; '.join(misses)})", flush=True)
    floor = next((r for r in results if r["page"] == "floor"), None)
    for result in results:
        result["ratio_floor_p95"] = round(result["p95_ms"] / floor["p95_ms"], 2) if floor and floor["p95_ms"] else None
    return results


def _short(run: dict) -> dict:
    return {k: run[k] for k in ("requests", "rps", "p50_ms", "p95_ms", "p99_ms", "errors", "bytes_per_answer")}


# -- profiling ------------------------------------------------------------------------------------


def profile(url: str, instance: Path, manifest: dict, chosen: list[Page], runs: int = 30) -> str:
    """cProfile over `runs` requests of each page, in process, with the SQL statements counted."""
    from sqlalchemy import event

    from webapp import create_app
    from webapp.config import DevelopmentConfig
    from webapp.extensions import db

    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=url, INSTANCE_PATH=str(instance),
                     RATELIMIT_ENABLED=False, SCHEMA_CHECK=False)
    logins = {"participant": manifest["participants"][0], "writers": manifest["participants"][1],
              "coach": manifest["caseload_coach"], "leader": manifest["leader"]}
    out = io.StringIO()
    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a, **k: statements.append(1))
    for page in chosen:
        client = dataset.bench_report.page_client(app, logins[page.who])

        def once(client=client, page=page):
            if page.method == "GET":
                return client.get(page.path)
            token = common.csrf_token(client.get("/log").get_data(as_text=True))
            body = form_body(manifest).replace("{TOKEN}", token).replace("{CLIENT_ID}", str(uuid.uuid4()))
            return client.post(page.path, data=urllib.parse.parse_qs(body))

        once()
        statements.clear()
        answer = once()
        per_request = len(statements)
        profiler = cProfile.Profile()
        began = time.perf_counter()
        profiler.enable()
        for _ in range(runs):
            once()
        profiler.disable()
        took = (time.perf_counter() - began) / runs
        out.write(f"\n=== {page.name} ({page.method} {page.path}): {answer.status_code}, {took * 1000:.1f} ms "
                  f"in process, {per_request} SQL statements per request\n")
        for order in ("cumulative", "tottime"):
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).strip_dirs().sort_stats(order).print_stats(25)
            out.write(text.getvalue().split("\n", 6)[-1])
    with app.app_context():
        db.engine.dispose()
    return out.getvalue()


# -- report ---------------------------------------------------------------------------------------


def write_markdown(out: Path) -> None:
    """docs/benchmarks/PAGES.md from every pages-*.json there (one run may have done only one database)."""
    runs = [json.loads(p.read_text()) for p in sorted(out.glob("pages-*.json"))]
    lines = [
        "# Page benchmarks (`make bench`)", "",
        "Written by `scripts/bench/pages.py`; do not edit by hand. Each page is measured with wrk between two",
        "runs of a bare Flask page of the same size on the same gunicorn (bare, page, bare), and compared by",
        "its 95th percentile: participant pages ≤ 3 × bare; caseload and report ≤ 5 × bare and ≤ 1 s.",
        "The floor row is Stegvis's cheapest signed-in answer (the session, the participation, the headers, no",
        "template), measured the same way; \"p95 ÷ floor\" divides each page by it.",
        "Absolute numbers drift by a third between runs on a shared machine; the ratio is what counts.", "",
        "How: a scratch database with the benchmark's data (`scripts/bench/dataset.py`); gunicorn with",
        "`gunicorn.conf.py` (sync workers), except that workers are not recycled after 2 000 requests (the bare",
        "page makes that many in two seconds); the bare page is a `Flask(__name__)` app with no extensions",
        "mounted at `/_bare/` by `scripts/bench/bench_wsgi.py`, only in the benchmark. Sign-in is through the",
        "real form; wrk sends the session cookie. wrk asks for no compression, so neither side compresses.",
        "`-c4` keeps both workers busy (two connections each): the latencies include waiting for a worker,",
        "for the page and the bare page alike.", "",
    ]
    for run in runs:
        m, d, w = run["machine"], run["dataset"], run["wrk"]
        lines += [
            f"## {run['database']} ({'passed' if run['passed'] else 'a target missed'})", "",
            f"- Measured {run['when']} on {m['cores']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM, {m['os']}; "
            f"load average over the last 1, 5 and 15 minutes when it ended: {', '.join(map(str, m['load_average']))} "
            "(a machine shared with other work).",
            f"- Python {m['python']}, gunicorn {m['gunicorn']} with {m['gunicorn_workers']} {m['worker_class']} "
            f"workers, {m['database']}.",
            f"- wrk {w['settings']}, {w['seconds']} s per run, on loopback, from the same machine.",
            f"- Data: {d['participations']:,} participations, {d['activities']:,} activities, "
            f"{d['survey_answers']:,} survey answers, {d['steps']:,} steps, {d['goals']:,} goals.", "",
            "| Page | Bytes | p50 ms | p95 ms | p99 ms | Requests/s | Errors | Bare p95 ms | p95 ÷ bare "
            "| p95 ÷ floor | Target | |",
            "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|",
        ]
        for r in run["results"]:
            lines.append(
                f"| {r['what']} | {r['bytes']:,} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} | "
                f"{r['rps']:.0f} | {r['errors']} | {r['bare']['p95_ms']:.1f} | {r['ratio_p95']:.1f}× | "
                f"{_times(r.get('ratio_floor_p95'))} | {r['target']} | {'ok' if r['ok'] else 'missed'} |")
        lines.append("")
    (out / "PAGES.md").write_text("\n".join(lines))


def _times(ratio: float | None) -> str:
    return "–" if ratio is None else f"{ratio:.1f}×"


def print_table(label: str, results: list[dict]) -> None:
    print(f"\n{label}")
    print(f"  {'page':10s} {'bytes':>8s} {'p50':>8s} {'p95':>8s} {'p99':>8s} {'req/s':>7s} {'err':>4s} "
          f"{'bare p95':>9s} {'ratio':>6s} {'÷floor':>6s}  target")
    for r in results:
        print(f"  {r['page']:10s} {r['bytes']:8,d} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['p99_ms']:8.1f} "
              f"{r['rps']:7.0f} {r['errors']:4d} {r['bare']['p95_ms']:9.1f} {r['ratio_p95']:5.1f}× "
              f"{_times(r.get('ratio_floor_p95')):>6s}  "
              f"{r['target']}: {'ok' if r['ok'] else 'MISSED (' + '; '.join(r['missed']) + ')'}")


def main() -> int:
    args = parse_args()
    args.wrk = shutil.which("wrk")
    if args.wrk is None:
        sys.exit("wrk is missing: install it (Debian: apt-get install wrk) and run make bench again.")
    os.environ.setdefault("STEGVIS_ENV", "development")
    passed = True
    for label, url, folder in common.scratch_runs(args, "stegvis-bench-"):
        instance = folder / f"instance-{common.slug(label)}"
        print(f"{label}: making the data ({'large' if args.large else 'default'} size) …", flush=True)
        manifest = dataset.build(url, instance, dataset.size_args(args.large, args.participations))
        print(f"  made in {manifest['generate_s']:.0f} s: {manifest['counts']}", flush=True)
        chosen = [p for p in pages(manifest) if not args.pages or p.name in args.pages.split(",")]
        # No recycling of workers after 2 000 requests: the bare page makes that many in a second or two.
        with common.server(url, instance, args.workers, {"GUNICORN_MAX_REQUESTS": "0"}) as server:
            results = measure(args, server.url, manifest, chosen)
        run = {
            "database": label, "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": common.machine(url, args.workers), "dataset": manifest["counts"],
            "size": "large" if args.large else "default" if not args.participations else "custom",
            "wrk": {"settings": f"-t1 -c{args.connections}", "seconds": args.seconds},
            "results": results, "passed": all(r["ok"] for r in results),
        }
        common.write_json(args.out / f"pages-{common.slug(label)}.json", run)
        print_table(label, results)
        passed &= run["passed"]
        missed = [p for p in chosen if not next(r for r in results if r["page"] == p.name)["ok"]]
        if args.profile and missed:
            print(profile(url, instance, manifest, missed))
    write_markdown(args.out)
    print(f"\nWritten: {args.out / 'PAGES.md'}")
    if not passed:
        print("A target was missed (see above).")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
