"""Stegvis under gunicorn on a loopback port: for the fault tests, the benchmarks and the soak run.

    with Gunicorn(database_url, instance) as server:
        requests.get(server.url + "/sign-in")
        server.worker_pids()      # kill -9 one of them, say

The listening socket is opened here (127.0.0.1, a port the kernel picks) and handed to gunicorn as
`fd://N`, so the server we talk to is certainly ours: no other program can hold that port. The
server stops when the block ends, and by itself if this process dies (the kernel sends it SIGTERM).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
SECRET = "a-server-key-for-tests-and-benchmarks-only-0123456789"  # noqa: S105 - loopback only


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the process that started it dies (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Gunicorn:
    """gunicorn -c gunicorn.conf.py wsgi:app, on a socket this process owns."""

    def __init__(self, database_url: str, instance: Path, *, workers: int = 2, app: str = "wsgi:app",
                 env: dict[str, str] | None = None, args: tuple[str, ...] = (), ready_path: str = "/sign-in",
                 log: Path | None = None):
        self.database_url = database_url
        self.instance = Path(instance)
        self.workers = workers
        self.app = app
        self.extra_env = env or {}
        self.args = args
        self.ready_path = ready_path
        self.log = log or self.instance / "gunicorn.log"
        self.process: subprocess.Popen | None = None
        self._socket: socket.socket | None = None
        self.url = ""

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("STEGVIS_", "GUNICORN_"))}
        env.update({
            "STEGVIS_ENV": "development",
            "STEGVIS_INSTANCE": str(self.instance),
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": SECRET,
            "WEB_CONCURRENCY": str(self.workers),
            "PYTHONPATH": str(ROOT),
        })
        env.update(self.extra_env)
        return env

    def __enter__(self) -> Gunicorn:
        self.instance.mkdir(parents=True, exist_ok=True)
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(128)
        self._socket.set_inheritable(True)
        port = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        command = [str(GUNICORN), "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"fd://{self._socket.fileno()}",
                   *self.args, self.app]
        self._log_file = open(self.log, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn, our own arguments
            command, cwd=ROOT, env=self.environment(), pass_fds=(self._socket.fileno(),),
            stdout=self._log_file, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent)
        try:
            self.wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def wait_until_ready(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start (exit {self.process.returncode}):\n{self.log_text()}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(self.url + self.ready_path, timeout=2) as response:  # noqa: S310
                    if response.status < 500 and len(self.worker_pids()) >= self.workers:
                        return
            time.sleep(0.1)
        raise TimeoutError(f"gunicorn did not answer {self.ready_path} within {seconds} s:\n{self.log_text()}")

    def worker_pids(self) -> list[int]:
        """The master's children: the workers."""
        if self.process is None:
            return []
        master = self.process.pid
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == master:
                    pids.append(int(entry.name))
        return sorted(pids)

    def rss_kib(self) -> int:
        """Resident memory of the master and its workers together, in KiB."""
        total = 0
        for pid in [self.process.pid, *self.worker_pids()]:
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        return total

    def log_text(self) -> str:
        with contextlib.suppress(OSError):
            return self.log.read_text(errors="replace")[-4000:]
        return ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        if getattr(self, "_log_file", None) is not None:
            self._log_file.close()
            self._log_file = None
