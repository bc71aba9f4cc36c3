"""Test helpers for the real app under gunicorn: a server on a free port, a rater speaking HTTP.

`GunicornServer` starts `gunicorn -c gunicorn.conf.py "survey:create_app()"` (the project's own
config) on 127.0.0.1 with the database, secret and outbox passed through the environment, as
in production. `HttpRater` is one browser: its own cookie jar, no redirect following.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask

from survey.extensions import db

ROOT = Path(__file__).resolve().parents[1]
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class GunicornServer:
    """The app under gunicorn with `workers` sync workers; logs go to files in `folder`."""

    def __init__(
        self,
        database_url: str,
        folder: Path,
        workers: int = 4,
        extra_config: str | None = None,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.access_log = folder / "access.log"
        self.error_log = folder / "error.log"
        self.folder = folder
        self.workers = workers
        self.config = ROOT / "gunicorn.conf.py"
        if extra_config is not None:
            self.config = folder / "gunicorn_test.conf.py"
            project = (ROOT / "gunicorn.conf.py").read_text()
            self.config.write_text(project + "\n\n" + extra_config)
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "load-test-secret",
            "MAIL_OUTBOX": str(folder / "outbox"),
            "SURVEY_ACCESS_LOG": str(self.access_log),
            "SURVEY_ERROR_LOG": str(self.error_log),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> GunicornServer:
        command = [
            sys.executable, "-m", "gunicorn", "-c", str(self.config),
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
            "survey:create_app()",
        ]  # fmt: skip
        # Its own process group, so teardown can always end master and workers together.
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True)
        self._wait_until_up()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)  # quick shutdown: every request has answered
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a worker still booting may ignore the signal
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def wait_for_log(self, text: str, count: int, seconds: float = 30) -> None:
        """Wait until the error log mentions `text` at least `count` times."""
        deadline = time.monotonic() + seconds
        while self.error_log.read_text(errors="replace").count(text) < count:
            assert time.monotonic() < deadline, f"never {count}× {text!r}:\n{self.logs()}"
            time.sleep(0.1)

    def _wait_until_up(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process is not None and self.process.poll() is None, self.logs()
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not come up:\n" + self.logs())

    def logs(self) -> str:
        """Both log files, for assertion messages and checks."""
        parts = [p.read_text(errors="replace") for p in (self.error_log, self.access_log)]
        return "\n".join(parts) if any(parts) else "(no log)"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass
class Reply:
    """One HTTP answer: status, body text, Location header (for redirects)."""

    status: int
    text: str
    location: str = ""


class HttpRater:
    """One rater's browser over real HTTP: cookies kept, redirects not followed."""

    def __init__(self, base_url: str, token: str, timeout: float = 60) -> None:
        self.base_url = base_url
        self.token = token
        self.timeout = timeout
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), _NoRedirect()
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> Reply:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base_url + path, body, timeout=self.timeout) as reply:
                return Reply(reply.status, reply.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")
            return Reply(error.code, text, error.headers.get("Location", ""))

    def form(self, invitation_id: int) -> tuple[Reply, str]:
        """GET the questionnaire; returns the page and its CSRF token ("" when absent)."""
        page = self.request(f"/r/{self.token}/{invitation_id}")
        match = CSRF.search(page.text)
        return page, match.group(1) if match else ""

    def post_form(self, invitation_id: int, data: dict[str, str]) -> Reply:
        return self.request(f"/r/{self.token}/{invitation_id}", data)


def submission(csrf: str, keys: list[str], comment: str = "") -> dict[str, str]:
    """A complete form: every item answered (values cycling 1..5), one comment."""
    data = {"csrf_token": csrf, "action": "submit"}
    data.update({key: str(1 + index % 5) for index, key in enumerate(keys)})
    if comment:
        data["comment-keep_doing"] = comment
    return data


def break_database(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on every new connection fails as if the server were down or the file gone."""
    with app.app_context():
        engine = db.engine
        error = engine.dialect.loaded_dbapi.OperationalError

        def refuse(*args: object, **kwargs: object) -> None:
            raise error("connection refused: the database server is down")

        db.session.remove()
        engine.dispose()
        monkeypatch.setattr(engine.pool, "_creator", refuse)
