"""Servers and load for the benchmark: gunicorn on 127.0.0.1, wrk with Lua scripts (issue 8)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LUA = HERE / "lua"
CONFIG = ROOT / "gunicorn.conf.py"  # the product's production settings, used for both apps
# The product's default worker count (gunicorn.conf.py: 2 × cores + 1, at most 9).
WORKERS = int(os.environ.get("BENCH_WORKERS", min(2 * (os.cpu_count() or 1) + 1, 9)))
THREADS = 8  # wrk threads = connections: one connection per Lua state


class BenchmarkError(RuntimeError):
    """The benchmark itself could not run (missing tool, server did not start, bad output)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A gunicorn we started: its base URL and process."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path


@contextmanager
def gunicorn(app: str, env: dict[str, str], log: Path, workers: int = WORKERS) -> Iterator[Server]:
    """Serve `app` ("module:callable") on a free 127.0.0.1 port with the product's gunicorn.conf.py

    (when present) and `workers` sync workers; the access log goes to `log`.
    """
    port = free_port()
    config = ["--config", str(CONFIG)] if CONFIG.exists() else []
    command = [
        sys.executable, "-m", "gunicorn", *config, "--bind", f"127.0.0.1:{port}", "--workers",
        str(workers), "--worker-class", "sync", app,
    ]
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_ready(server)
        yield server
    finally:
        _stop(process)


def _wait_ready(server: Server, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise BenchmarkError(f"gunicorn exited; see {server.log}:\n{_tail(server.log)}")
        try:
            urllib.request.urlopen(server.url + "/", timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answers (404 on a bare app is fine)
        except OSError:
            time.sleep(0.2)
    raise BenchmarkError(f"gunicorn did not answer within {seconds:.0f}s; see {server.log}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the gunicorn we started (its own process group: master and workers)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@dataclass
class LoadResult:
    """What one wrk run measured: completed units per second and failures."""

    completed: int
    failed: int
    exhausted: int
    seconds: float
    p50_ms: float
    bytes: int = 0

    @property
    def rate(self) -> float:
        return self.completed / self.seconds if self.seconds else 0.0


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise BenchmarkError("wrk is not installed: apt-get install -y wrk")
    return path


def run_wrk(url: str, script: str, env: dict[str, str], seconds: float,
            threads: int = THREADS) -> LoadResult:
    """Run wrk with `script` (in benchmarks/lua) for `seconds`; parse its BENCH summary line."""
    command = [
        require_wrk(), "-t", str(threads), "-c", str(threads), "-d", f"{max(1, round(seconds))}s",
        "--timeout", "60s", "-s", str(LUA / script), url,
    ]
    full_env = {**os.environ, "BENCH_THREADS": str(threads), **env}
    done = subprocess.run(command, env=full_env, capture_output=True, text=True,
                          timeout=seconds + 120)
    match = re.search(r"BENCH (.*)", done.stdout)
    if done.returncode != 0 or match is None:
        raise BenchmarkError(f"wrk failed ({done.returncode}): {done.stdout}\n{done.stderr}")
    values = dict(pair.split("=") for pair in match.group(1).split())
    if done.stderr.strip():
        print(f"  wrk: {done.stderr.strip()}", file=sys.stderr)
    return LoadResult(
        completed=int(values["completed"]),
        failed=int(values["failed"]),
        exhausted=int(values["exhausted"]),
        seconds=int(values["duration_us"]) / 1e6,
        p50_ms=int(values["p50_us"]) / 1e3,
        bytes=int(values.get("bytes", 0)),
    )
