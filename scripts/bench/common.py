"""What `make bench` and `make soak` share: the machine's description, the server, signing in."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import sqlite3
import sys
import tempfile
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from tests.servers import Gunicorn  # noqa: E402

OUT = ROOT / "docs" / "benchmarks"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
TIMEOUT = 30
# Many sign-ins from one address in a minute: a load test, not an attack.
SERVER_ENV = {"STEGVIS_RATELIMIT_SIGN_IN": "100000 per minute",
              "STEGVIS_RATELIMIT_SIGN_IN_ACCOUNT": "100000 per minute"}


def server(url: str, instance: Path, workers: int, env: dict[str, str] | None = None, **kwargs) -> Gunicorn:
    """Stegvis and the bare floor (scripts/bench/bench_wsgi.py) in one gunicorn on a loopback socket."""
    return Gunicorn(url, instance, workers=workers, app="scripts.bench.bench_wsgi:app",
                    env={**SERVER_ENV, **(env or {})}, **kwargs)


def scratch_runs(args, prefix: str):
    """(label, database URL, folder) for each scratch database the arguments ask for (SQLite unless
    --no-sqlite, PostgreSQL with --postgres); each is dropped after its turn, the folder at the end."""
    from scripts.bench import dataset

    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        folder = Path(tmp)
        for label, scratch in dataset.bench_report.scratch_databases(args, folder):
            with scratch as url:
                yield label, url, folder


def csrf_token(html: str) -> str:
    found = CSRF_META.search(html)
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1)


def sign_in(base: str, login: str, password: str) -> requests.Session:
    """Sign in through the real form, as a browser does; the session holds the cookies."""
    session = requests.Session()
    token = csrf_token(session.get(base + "/sign-in", timeout=TIMEOUT).text)
    answer = session.post(base + "/sign-in", data={"login_name": login, "password": password, "csrf_token": token},
                          allow_redirects=False, timeout=TIMEOUT)
    if answer.status_code != 303:
        raise RuntimeError(f"signing in as {login} answered {answer.status_code}")
    return session


def cookie_header(session: requests.Session) -> str:
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in session.cookies)


def machine(database_url: str, workers: int) -> dict:
    """The machine and the software the numbers were measured with."""
    cpu, memory = "unknown CPU", 0
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as cpuinfo:
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), cpu)
    with contextlib.suppress(OSError), open("/proc/meminfo") as meminfo:
        memory = next((int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:")), 0)
    described = {
        "cpu": cpu, "cores": os.cpu_count(), "ram_gib": round(memory / 1024 / 1024, 1),
        "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
        "gunicorn": metadata.version("gunicorn"), "gunicorn_workers": workers, "worker_class": "sync",
        "load_average": [round(x, 2) for x in os.getloadavg()],  # 1, 5, 15 min, after the run
    }
    if database_url.startswith("sqlite"):
        described["database"] = f"SQLite {sqlite3.sqlite_version}"
    else:
        engine = create_engine(database_url)
        with engine.connect() as connection:
            described["database"] = "PostgreSQL " + connection.execute(text("SHOW server_version")).scalar()
        engine.dispose()
    return described


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def slug(label: str) -> str:
    return label.lower()
