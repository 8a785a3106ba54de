#!/usr/bin/env python3
"""Lighthouse on the participant's pages, signed in as a demo participant (`make audit`).

    make audit                                        # installs what it needs, then runs this
    .venv/bin/python scripts/audit/audit.py --runs 1 --pages home,plan

What it does, on a throwaway copy of the demo:
1. makes a temporary instance folder with a SQLite database, runs the migrations and `flask demo`;
2. starts the app in production mode under gunicorn, on a socket it bound itself on 127.0.0.1
   (a free port; gunicorn gets the socket, so nothing else can answer in its place);
3. signs in as the demo participants Amina (home, plan, log) and Kim (her half-answered start
   survey) and keeps their session cookies;
4. runs Lighthouse (mobile, default throttling) on each page with the cookie in `--extra-headers`,
   in Debian's Chromium (CHROME_PATH, default /usr/bin/chromium) with the flags from
   shared/BROWSER-TESTING.md, `--runs` times per page, and keeps the run with the median
   performance score;
5. prints the scores, writes the reports (JSON and HTML) to test-artifacts/lighthouse/, lists
   the audits that cost points, stops the server, and exits 1 when a target is missed.

Targets: performance ≥ 95, accessibility 100, best practices ≥ 95. SEO is shown, with no target
(the signed-in pages are not for search engines).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import html.parser
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
DEFAULT_REPORTS = ROOT / "test-artifacts" / "lighthouse"
PASSWORD = "stegvis-demo"  # noqa: S105 - the demo's published password (README)

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95}
CHROME_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    # Without this Debian's Chromium looks up Google hosts all the time (shared/BROWSER-TESTING.md).
    '--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE [::1]"',
]


@dataclass
class Page:
    name: str
    login: str
    path: str = ""  # found after sign-in for the survey question


PAGES = [Page("home", "amina", "/home"), Page("plan", "amina", "/plan"), Page("log", "amina", "/log"),
         Page("survey-question", "kim")]


@dataclass
class Result:
    page: Page
    scores: dict[str, int | None]
    report: dict = field(repr=False)
    all_performance: list[int | None]
    json_path: Path


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; the median is kept (default 3)")
    parser.add_argument("--pages", default=",".join(p.name for p in PAGES),
                        help="comma-separated subset of: " + ", ".join(p.name for p in PAGES))
    parser.add_argument("--reports", type=Path, default=DEFAULT_REPORTS, help=f"default {DEFAULT_REPORTS}")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    args = parser.parse_args()
    known = {p.name for p in PAGES}
    chosen = [name.strip() for name in args.pages.split(",") if name.strip()]
    if not chosen or set(chosen) - known:
        parser.error(f"--pages takes names from: {', '.join(sorted(known))}")
    args.pages = chosen
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def check_tools(chrome: str) -> None:
    missing = []
    if not LIGHTHOUSE.exists():
        missing.append(f"Lighthouse ({LIGHTHOUSE}): run `npm ci --prefix scripts/audit` (make audit does)")
    if not (Path(chrome).exists() or shutil.which(chrome)):
        missing.append(f"Chromium ({chrome}): `apt-get install --no-install-recommends chromium fonts-liberation`,"
                       " or set CHROME_PATH")
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        missing.append("gunicorn in this virtualenv: `.venv/bin/pip install -r scripts/audit/requirements.txt`")
    if missing:
        sys.exit("make audit needs:\n  " + "\n  ".join(missing))


# --- the app ------------------------------------------------------------------------------------

def app_environment(instance: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "FLASK_APP")}
    env.update(
        STEGVIS_ENV="production",
        SECRET_KEY=secrets.token_hex(32),
        STEGVIS_INSTANCE=str(instance),
        DATABASE_URL=f"sqlite:///{instance / 'stegvis.db'}",
    )
    return env


def flask(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        sys.exit(f"`flask {' '.join(args)}` failed:\n{done.stdout}{done.stderr}")


@contextlib.contextmanager
def server(env: dict[str, str], workers: int, log: Path) -> Iterator[str]:
    """gunicorn on a socket bound here: the port is free and ours before gunicorn starts."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    port = listener.getsockname()[1]
    fd = listener.fileno()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    command = [gunicorn, "--bind", f"fd://{fd}", "--workers", str(workers), "--log-level", "warning",
               "--access-logfile", "-", "wsgi:app"]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, pass_fds=(fd,), stdout=out,  # noqa: S603
                                   stderr=subprocess.STDOUT, start_new_session=True)
    listener.close()  # gunicorn holds its own copy
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, log)
        yield base
    finally:
        stop(process)


def wait_until_up(base: str, process: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped (exit {process.returncode}):\n{log.read_text()}")
        with contextlib.suppress(OSError):
            status, _, _ = request(base + "/sign-in", timeout=2)
            if status == 200:
                return
        time.sleep(0.3)
    sys.exit(f"gunicorn did not answer within {seconds:.0f} s:\n{log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # gunicorn's arbiter stops its workers
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- signing in ---------------------------------------------------------------------------------

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def request(url: str, cookies: dict[str, str] | None = None, data: dict[str, str] | None = None,
            timeout: float = 15) -> tuple[int, dict[str, list[str]], str]:
    """One request, no redirects followed; cookies are handled by hand because the production
    cookie is `Secure` and `__Host-` and this is plain HTTP on 127.0.0.1."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body)  # noqa: S310 - our own server on 127.0.0.1
    if cookies:
        req.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    try:
        response = _opener.open(req, timeout=timeout)
    except urllib.error.HTTPError as error:  # 3xx (not followed) and 4xx/5xx
        response = error
    with response:
        headers: dict[str, list[str]] = {}
        for key, value in response.headers.items():
            headers.setdefault(key.lower(), []).append(value)
        return response.status, headers, response.read().decode("utf-8", "replace")


def remember_cookies(cookies: dict[str, str], headers: dict[str, list[str]]) -> None:
    for line in headers.get("set-cookie", []):
        name, _, rest = line.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]


class _Forms(html.parser.HTMLParser):
    """The POST forms of a page: action and fields (hidden inputs only)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append((attributes.get("action") or "", {}))
        elif tag == "input" and self.forms and attributes.get("type") == "hidden" and attributes.get("name"):
            self.forms[-1][1][attributes["name"]] = attributes.get("value") or ""


def forms(page: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Forms()
    parser.feed(page)
    return parser.forms


def sign_in(base: str, login: str) -> dict[str, str]:
    cookies: dict[str, str] = {}
    status, headers, page = request(base + "/sign-in", cookies)
    remember_cookies(cookies, headers)
    token = next((fields["csrf_token"] for action, fields in forms(page)
                  if action.startswith("/sign-in") and "csrf_token" in fields), None)
    if status != 200 or token is None:
        sys.exit(f"The sign-in page answered {status} without a sign-in form.")
    status, headers, _ = request(base + "/sign-in", cookies,
                                 {"csrf_token": token, "login_name": login, "password": PASSWORD})
    if status != 303:
        sys.exit(f"Signing in as {login} answered {status}, not 303.")
    remember_cookies(cookies, headers)
    return cookies


def survey_question(base: str, cookies: dict[str, str]) -> str:
    """Continue the waiting survey from the start page, as the participant would."""
    _, headers, home = request(base + "/home", cookies)
    remember_cookies(cookies, headers)
    start = next(((action, fields) for action, fields in forms(home) if action == "/surveys/start"), None)
    if start is None:
        sys.exit("The demo participant has no survey waiting on the start page.")
    status, headers, body = request(base + start[0], cookies, start[1])
    remember_cookies(cookies, headers)
    location = urllib.parse.urlsplit(headers.get("location", [""])[0]).path
    if status != 303 or "/questions/" not in location:
        sys.exit(f"Starting the survey answered {status} to {location!r}, not a question page:\n{body[:2000]}")
    return location


# --- Lighthouse ---------------------------------------------------------------------------------

def lighthouse(url: str, cookies: dict[str, str], output: Path, profile: Path, chrome: str) -> dict:
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    flags = " ".join([*CHROME_FLAGS, f"--user-data-dir={profile}"])
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output=html", f"--output-path={output}",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}",
               f"--extra-headers={json.dumps(headers)}"]
    env = {**os.environ, "CHROME_PATH": chrome}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
    report_path = output.with_name(output.name + ".report.json")
    if done.returncode != 0 or not report_path.exists():
        sys.exit(f"Lighthouse failed on {url} (exit {done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    report = json.loads(report_path.read_text())
    if report.get("runtimeError"):
        sys.exit(f"Lighthouse could not load {url}: {report['runtimeError']}")
    final = urllib.parse.urlsplit(report.get("finalDisplayedUrl") or report.get("finalUrl", "")).path
    if final != urllib.parse.urlsplit(url).path:
        sys.exit(f"Lighthouse ended on {final}, not {url}: was the session cookie refused?")
    return report


def scores(report: dict) -> dict[str, int | None]:
    found = {}
    for name in CATEGORIES:
        score = report["categories"].get(name, {}).get("score")
        found[name] = None if score is None else round(score * 100)
    return found


def audit_page(page: Page, base: str, cookies: dict[str, str], args: argparse.Namespace, work: Path,
               chrome: str) -> Result:
    for old in [*args.reports.glob(f"{page.name}.report.*"), *args.reports.glob(f"{page.name}-run*.report.*")]:
        old.unlink()  # reports of an earlier audit must not pass for this one's
    runs = []
    for run in range(1, args.runs + 1):
        stem = args.reports / (page.name if args.runs == 1 else f"{page.name}-run{run}")
        report = lighthouse(base + page.path, cookies, stem, work / f"chrome-{page.name}-{run}", chrome)
        runs.append((scores(report), report, stem))
        print(f"  {page.name} run {run}: " + " ".join(f"{k}={v}" for k, v in runs[-1][0].items()), flush=True)
    by_performance = sorted(runs, key=lambda r: -1 if r[0]["performance"] is None else r[0]["performance"])
    chosen_scores, report, stem = by_performance[(len(runs) - 1) // 2]  # the median (lower middle)
    median = args.reports / page.name
    if stem != median:
        for suffix in (".report.json", ".report.html"):
            shutil.copyfile(stem.with_name(stem.name + suffix), median.with_name(median.name + suffix))
    return Result(page, chosen_scores, report, [r[0]["performance"] for r in runs],
                  median.with_name(median.name + ".report.json"))


def missed(result: Result) -> list[str]:
    return [name for name, target in TARGETS.items()
            if result.scores[name] is None or result.scores[name] < target]


def costs(report: dict, category: str) -> list[str]:
    """The audits of a category that cost points, with the elements or resources they name."""
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if audit.get("scoreDisplayMode") in ("notApplicable", "manual", "informative") or audit.get("score") is None:
            continue
        if audit["score"] >= 1 or (ref.get("weight", 0) == 0 and category != "performance"):
            continue
        value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
        lines.append(f"    - {ref['id']}: {audit['title']}{value}, score {audit['score']:.2f}, weight {ref['weight']}")
        for item in (audit.get("details") or {}).get("items", [])[:5]:
            node = item.get("node") if isinstance(item.get("node"), dict) else None
            source = item.get("source") if isinstance(item.get("source"), dict) else {}
            where = (node or {}).get("selector") or item.get("url") or source.get("url") or item.get("href") or ""
            snippet = (node or {}).get("snippet") or (f"text {item['text']!r}" if item.get("text") else "")
            if where or snippet:
                lines.append(f"        {where} {snippet[:160]}".rstrip())
    return lines


def metrics(report: dict) -> str:
    names = {"first-contentful-paint": "FCP", "largest-contentful-paint": "LCP", "total-blocking-time": "TBT",
             "cumulative-layout-shift": "CLS", "speed-index": "SI"}
    return ", ".join(f"{short} {report['audits'][key].get('displayValue', '?')}" for key, short in names.items()
                     if key in report["audits"])


def print_table(results: list[Result], runs: int) -> None:
    header = ["page", "path", *CATEGORIES]
    rows = [[r.page.name, r.page.path, *(("–" if r.scores[c] is None else str(r.scores[c])) for c in CATEGORIES)]
            for r in results]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print()
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
    if runs > 1:
        print(f"\nMedian of {runs} runs by performance; performance per run: "
              + "; ".join(f"{r.page.name} {r.all_performance}" for r in results))
    print("Targets: performance ≥ 95, accessibility 100, best-practices ≥ 95; SEO has no target.")


def main() -> int:
    args = parse_args()
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    check_tools(chrome)
    args.reports.mkdir(parents=True, exist_ok=True)
    pages = [p for p in PAGES if p.name in args.pages]
    print(f"Lighthouse {subprocess.run([str(LIGHTHOUSE), '--version'], capture_output=True, text=True).stdout.strip()}"  # noqa: S603
          f", {chrome}, {platform.machine()} with {os.cpu_count()} cores, {dt.date.today().isoformat()}", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="stegvis-audit-") as tmp:
        work = Path(tmp)
        instance = work / "instance"
        instance.mkdir()
        env = app_environment(instance)
        print("Building the demo database ...", flush=True)
        flask(env, "db", "upgrade")
        flask(env, "demo")
        with server(env, args.workers, work / "gunicorn.log") as base:
            print(f"gunicorn answers on {base}", flush=True)
            sessions = {login: sign_in(base, login) for login in sorted({p.login for p in pages})}
            for page in pages:
                if not page.path:
                    page.path = survey_question(base, sessions[page.login])
            for page in pages:
                results.append(audit_page(page, base, sessions[page.login], args, work, chrome))
    print_table(results, args.runs)
    print(f"Reports: {args.reports}/<page>.report.json and .report.html")
    failed = [(r, missed(r)) for r in results if missed(r)]
    for result, categories in failed:
        print(f"\n{result.page.name} ({result.page.path}) misses: {', '.join(categories)}; {metrics(result.report)}")
        for category in categories:
            print(f"  {category}:")
            print("\n".join(costs(result.report, category)) or "    (no single audit: see the report)")
    if failed:
        print("\nTarget missed.")
        return 1
    print("\nAll targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
