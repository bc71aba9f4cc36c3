"""Shared fixtures for headless-Chromium tests: a live server, a browser, pages, axe-core.

- `live_server` runs the test `app` on a free port (werkzeug, threaded) and yields a
  `LiveServer(url, app)`; `live_server.url` is the base URL, e.g. http://127.0.0.1:43817.
- `browser` is one Chromium per session, launched from /usr/bin/chromium (never downloaded).
- `page` is a fresh 1280×900 page; `make_page(width=360, height=740)` makes others.
- `run_axe(page)` injects axe-core (tests/e2e/vendor/axe.min.js, 4.14.1, MPL-2.0) and returns
  its violations; `serious_violations(page)` keeps the serious and critical ones.
- `artifacts_dir(name)` is a folder under test-artifacts/ for screenshots.

Without /usr/bin/chromium (or the playwright package) these tests skip with the reason, unless
CI_REQUIRE_BROWSER=1, where they fail instead. Pages are created with `bypass_csp=True` so
axe can be injected; a test that checks the Content-Security-Policy itself passes
`bypass_csp=False` to `make_page`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")  # override only to test skipping
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder drives a browser."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and CI_REQUIRE_BROWSER=1 requires browser tests to run")
    pytest.skip(reason)


@dataclass(frozen=True)
class LiveServer:
    """A running test server: its base URL (no trailing slash) and the app behind it."""

    url: str
    app: Flask


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    """Serve `app` on 127.0.0.1 and a free port in a background thread for one test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session: Debian's package, never `playwright install`."""
    if not os.path.exists(CHROMIUM):
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def make_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Factory: `make_page(width=360, height=740, bypass_csp=True, **context_options)` → a page.

    Each page has its own context (cookies, storage); extra keyword arguments go to
    `browser.new_context` (e.g. `has_touch=True`, `is_mobile=True`).
    """
    contexts: list[Any] = []

    def new_page(
        width: int = 1280, height: int = 900, bypass_csp: bool = True, **options: Any
    ) -> Any:
        options = {"locale": "en-GB", "timezone_id": "Europe/Paris", **options}
        context = browser.new_context(
            viewport={"width": width, "height": height}, bypass_csp=bypass_csp, **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(make_page: Callable[..., Any]) -> Any:
    """A fresh desktop-sized page (1280×900)."""
    return make_page()


def run_axe(page: Any, context: str | None = None) -> list[dict[str, Any]]:
    """Inject axe-core into the page; return all its violations (WCAG A/AA, best practice)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        "async (selector) => await axe.run(selector || document)", context
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def serious_violations(page: Any) -> list[str]:
    """Serious and critical axe violations as readable lines (empty when the page passes)."""
    return [
        f"{v['impact']}: {v['id']} — {v['help']} "
        f"({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
        for v in run_axe(page)
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def artifacts_dir() -> Callable[[str], Path]:
    """`artifacts_dir("rate")` → test-artifacts/rate/, created if needed."""

    def folder(name: str) -> Path:
        path = ARTIFACTS / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    return folder


@pytest.fixture
def axe() -> Callable[[Any], list[str]]:
    """`axe(page)` → the page's serious and critical axe-core violations as readable lines."""
    return serious_violations
