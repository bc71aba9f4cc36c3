"""The benchmark suite: each figure measured with its ceiling in the same run, one table (issue 8).

    .venv/bin/python -m benchmarks.run                 # full: 10,000 subjects, scaling 1k/10k/50k
    .venv/bin/python -m benchmarks.run --quick         # CI: 200 subjects, short loads (< 3 min)
    .venv/bin/python -m benchmarks.run --database postgresql+psycopg://postgres@127.0.0.1/bench

Targets are ratios to a ceiling measured on the same machine in the same run (the machine is
shared and noisy). A full run exits 1 when a target is missed; a quick run exits non-zero only
when the benchmark itself breaks (an error, or a figure with no successful measurement).
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from benchmarks import generate
from benchmarks.load import ROOT, BenchmarkError, LoadResult, gunicorn, require_wrk, run_wrk

DATA = generate.DATA_DIR
USER_AGENT = "survey-benchmark"


@dataclass(frozen=True)
class Mode:
    """Sizes and durations of one kind of run."""

    scale: int
    scaling: tuple[int, ...]
    seconds: float
    product_pool: int
    bare_pool: int
    sample: int
    repeat: int
    rounds: int  # alternating product/bare load runs for the submission figure


# Pools: each round takes product_pool / rounds (bare_pool / rounds) fresh invitations; a pool
# that runs out makes that rate a lower bound (the table says so), so they leave room for ~1.7 ×
# today's rates (product ~470/s, bare ~800/s in the full run of 2026-11-29 22:01).
FULL = Mode(10_000, (1_000, 10_000, 50_000), 10, 40_000, 70_000, 300, 3, 5)
QUICK = Mode(200, (50, 200, 1_000), 3, 7_500, 12_000, 50, 1, 3)


@dataclass
class Row:
    """One line of the table."""

    figure: str
    product: str
    ceiling: str
    ratio: float | None
    target: str
    passed: bool | None
    note: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        print(f"  {row.figure}: {row.product} vs {row.ceiling}", flush=True)


# --------------------------------------------------------------------------- helpers


def database_for(base: str | None, subjects: int) -> str:
    """The database of one scale: a SQLite file per scale, or a PostgreSQL database per scale."""
    if base is None:
        return generate.default_database(subjects)
    url = make_url(base)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "bench.sqlite")
        return str(url.set(database=str(path.with_name(f"{path.stem}-{subjects}{path.suffix}"))))
    return url.set(database=f"{url.database}_{subjects}").render_as_string(hide_password=False)


def probe(command: str, database: str, **options: Any) -> dict[str, Any]:
    """Run one probe in a fresh process and return its JSON result."""
    argv = [sys.executable, "-m", "benchmarks.probe", command, "--database", database]
    for key, value in options.items():
        argv += [f"--{key}", str(value)]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=3600)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise BenchmarkError(f"probe {command} failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def generate_scale(database: str, subjects: int, pool: int = 0, draft: bool = False) -> Any:
    started = time.perf_counter()
    plan = generate.Plan(subjects=subjects, pool=pool, draft=draft, status="open")
    result = generate.generate(plan, database)
    answers = result.counts["answer"]
    print(f"  generated {subjects:,} subjects ({answers:,} answers) in "
          f"{time.perf_counter() - started:.1f}s", flush=True)
    return result


def fmt_rate(value: float, unit: str) -> str:
    return f"{value:,.0f} {unit}" if value >= 100 else f"{value:,.1f} {unit}"


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms" if seconds < 1 else f"{seconds:.2f} s"


def at_least(value: float, target: float) -> bool:
    return value >= target


# --------------------------------------------------------------------------- HTTP


def product_env(database: str, outbox: Path) -> dict[str, str]:
    return {"DATABASE_URL": database, "SECRET_KEY": "benchmark", "MAIL_OUTBOX": str(outbox),
            "BASE_URL": "http://127.0.0.1"}


def sign_in(base_url: str) -> str:
    """Sign in as the generated HR account through the form; returns the Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(base_url + "/sign-in").read().decode()
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if csrf is None:
        raise BenchmarkError("no CSRF token on /sign-in")
    body = urllib.parse.urlencode({"email": generate.HR_EMAIL, "password": generate.HR_PASSWORD,
                                   "csrf_token": csrf.group(1)}).encode()
    opener.open(base_url + "/sign-in", data=body).read()
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "session=" not in cookies:
        raise BenchmarkError("HR sign-in gave no session cookie")
    return cookies


def fetch(url: str, cookie: str = "") -> str:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Cookie": cookie})
    with urllib.request.urlopen(request, timeout=120) as response:
        return str(response.read().decode())


def warm(url: str, paths: list[str], cookie: str = "") -> None:
    """GET a few pages on every worker before measuring (GET never changes state)."""
    for path in paths:
        try:
            fetch(url + path, cookie)
        except urllib.error.HTTPError:
            pass


# --------------------------------------------------------------------------- figures


def measure_submissions(report: Report, database: str, pool_file: Path, mode: Mode,
                        log: Path) -> None:
    """(a) complete submissions through the rater form (GET the form, POST it) against the
    same GET + POST pair on the bare app.

    Both servers stay up and take turns under load (product, bare, product, bare, …), each
    round on fresh invitations; the ratio is the median of the rounds' ratios, so a burst of
    load from elsewhere on this shared machine moves one round, not the figure.
    """
    pool = pool_file.read_text().splitlines()
    warm_paths = ["/r/{1}/{0}".format(*line.split("\t")[:2]) for line in pool[:8]]
    apps = {"product": ("survey:create_app()", product_env(database, DATA / "outbox")),
            "bare": ("benchmarks.bare_app:app", {"BENCH_DATABASE_URL": database})}
    slices = {"product": (0, mode.product_pool // mode.rounds),
              "bare": (mode.product_pool, mode.bare_pool // mode.rounds)}
    with contextlib.ExitStack() as stack:
        servers = {name: stack.enter_context(gunicorn(app, env, log.with_suffix(f".{name}.log")))
                   for name, (app, env) in apps.items()}
        warm(servers["product"].url, warm_paths)
        warm(servers["bare"].url, ["/bare/ping"] * 4)

        def submit(name: str, index: int) -> LoadResult:
            start, size = slices[name]
            return run_wrk(servers[name].url, "submit.lua", {
                "BENCH_POOL": str(pool_file), "BENCH_MODE": name,
                "BENCH_OFFSET": str(start + index * size), "BENCH_LIMIT": str(size)},
                mode.seconds)

        rounds = _alternate(mode.rounds, submit)
    totals = {name: _total(results) for name, results in rounds.items()}
    for name, result in totals.items():
        if result.exhausted:
            report.notes.append(f"submission pool for {name} ran out before the time was up: "
                                f"its rate is a lower bound (raise the pool size)")
        if result.failed:
            report.notes.append(f"{result.failed} {name} submissions failed (not 303)")
        if result.completed == 0:
            report.broken.append(f"no {name} submission completed")
    ratio, described = _median_ratio(rounds)
    product, bare = totals["product"], totals["bare"]
    report.add(Row("Submission (complete, through the rater form)",
                   fmt_rate(product.rate, "/s"), f"bare GET+POST {fmt_rate(bare.rate, '/s')}",
                   ratio,
                   "≥ 0.5", ratio is not None and ratio >= 0.5,
                   f"{described}; p50 {product.p50_ms:.0f} ms per request vs "
                   f"{bare.p50_ms:.0f} ms"))


def _alternate(count: int, run: Callable[[str, int], LoadResult]) -> dict[str, list[LoadResult]]:
    """`count` rounds of `run("product", i)` then `run("bare", i)`, both servers kept up."""
    rounds: dict[str, list[LoadResult]] = {"product": [], "bare": []}
    for index in range(count):
        for name, results in rounds.items():
            results.append(run(name, index))
    return rounds


def _median_ratio(rounds: dict[str, list[LoadResult]]) -> tuple[float | None, str]:
    """The median of the rounds' product/bare rate ratios (None without a bare rate), and the
    rounds in words for the table's notes."""
    paired = list(zip(rounds["product"], rounds["bare"], strict=True))
    ratios = [p.rate / b.rate for p, b in paired if b.rate]
    per_round = ", ".join(f"{p.rate:.0f}/{b.rate:.0f}" for p, b in paired)
    text = f"median of {len(ratios)} alternating rounds (product/bare per second: {per_round})"
    return (statistics.median(ratios) if ratios else None), text


def _total(results: list[LoadResult]) -> LoadResult:
    """Several wrk runs as one: summed counts and time, the median of their p50s."""
    return LoadResult(
        completed=sum(r.completed for r in results),
        failed=sum(r.failed for r in results),
        exhausted=sum(r.exhausted for r in results),
        seconds=sum(r.seconds for r in results),
        p50_ms=statistics.median(r.p50_ms for r in results) if results else 0.0,
    )


def measure_report_pages(report: Report, database: str, subject_ids: list[int], mode: Mode,
                         log: Path) -> None:
    """(b) subject report page throughput against the same page without signing in.

    The ceiling (`bare_app.create_report_ceiling`) renders the same template from the same
    stored report after the same access check, on the product's own app, but without the
    sign-in machinery (Flask-Login, login_required), the blueprint and the rate limit. Product
    and ceiling take turns after an unmeasured pass; the ratio is the median of the rounds'
    ratios, as for submissions.
    """
    paths = [f"/reports/1/{sid}" for sid in subject_ids]
    paths_file = DATA / "report-paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    bare_paths = DATA / "bare-paths.txt"
    bare_paths.write_text("\n".join(f"/bare/report/1/{sid}" for sid in subject_ids) + "\n")
    env = product_env(database, DATA / "outbox")
    with contextlib.ExitStack() as stack:
        product_server = stack.enter_context(gunicorn(
            "survey:create_app()", env, log.with_suffix(".product.log")))
        cookie = sign_in(product_server.url)
        bare_server = stack.enter_context(gunicorn(
            "benchmarks.bare_app:create_report_ceiling()", env, log.with_suffix(".bare.log")))
        page = fetch(bare_server.url + f"/bare/report/1/{subject_ids[0]}")
        if 'id="report-figures"' not in page:
            raise BenchmarkError("the bare report page holds no #report-figures JSON")
        loads = {
            "product": (product_server.url, {"BENCH_PATHS": str(paths_file),
                                             "BENCH_COOKIE": cookie, "BENCH_UA": USER_AGENT}),
            "bare": (bare_server.url, {"BENCH_PATHS": str(bare_paths)}),
        }

        def get(name: str, _index: int) -> LoadResult:
            url, env = loads[name]
            return run_wrk(url, "get.lua", env, mode.seconds)

        _alternate(1, get)  # warm-up, not measured
        rounds = _alternate(mode.rounds, get)
    product, bare = _total(rounds["product"]), _total(rounds["bare"])
    if product.completed == 0:
        report.broken.append("no report page answered 200")
    if product.failed:
        report.notes.append(f"{product.failed} report page requests did not answer 200")
    ratio, described = _median_ratio(rounds)
    size = sum(r.bytes for r in rounds["product"]) / max(1, product.completed)
    report.add(Row("Subject report page (HR, frozen results)", fmt_rate(product.rate, "pages/s"),
                   f"same page unsigned {fmt_rate(bare.rate, '/s')}", ratio, "≥ 0.6",
                   ratio is not None and ratio >= 0.6,
                   f"{size / 1024:.0f} KB page; {described}, after a warm-up pass"))


def measure_report_json(report: Report, database: str, mode: Mode) -> None:
    """(c) report JSON p50 against the raw query reading that subject's answers."""
    result = probe("report-json", database, sample=mode.sample)
    ratio = result["product_p50"] / result["raw_p50"]
    report.add(Row("Report JSON p50 (services.reports)", fmt_s(result["product_p50"]),
                   f"raw SQL {fmt_s(result['raw_p50'])}", ratio, "≤ 5", ratio <= 5,
                   f"API route p50 {fmt_s(result['api_p50'])} (test client); "
                   f"{result['subjects']} subjects"))


@dataclass
class ScalePoint:
    subjects: int
    groupby: float
    view_first: dict[str, Any]
    view: dict[str, Any]
    export: dict[str, Any]
    close: dict[str, Any]
    export_items: dict[str, Any]
    xlsx: dict[str, Any]


def measure_scale_point(
    database: str, subjects: int, mode: Mode, repeat: int, close: dict[str, Any] | None = None
) -> ScalePoint:
    """Close through the product (unless `close` says it was, through the HR page), then
    GROUP BY, HR view (first and fresh process), exports (CSV tables and XLSX).

    Fresh-process views and exports are repeated `repeat` times (the median is kept).
    """
    close = close if close is not None else probe("close", database)
    view_first = probe("org-view", database)
    views = [probe("org-view", database) for _ in range(repeat)]
    view = sorted(views, key=lambda r: r["seconds"])[len(views) // 2]
    exports = [probe("export", database) for _ in range(max(1, repeat - 1))]
    export = sorted(exports, key=lambda r: r["seconds"])[len(exports) // 2]
    items = probe("export-items", database)
    xlsx = probe("export-xlsx", database)
    groupby = probe("groupby", database, repeat=mode.repeat)["seconds"]
    for name, result in (("HR view", view_first), ("export", export), ("items", items),
                         ("xlsx", xlsx)):
        if result["status"] != 200:
            raise BenchmarkError(f"{name} at {subjects} subjects answered {result['status']}")
    return ScalePoint(subjects, groupby, view_first, view, export, close, items, xlsx)


def add_scale_rows(report: Report, point: ScalePoint) -> None:
    """Close, HR view and export at the main scale against the GROUP BY."""
    g = point.groupby
    add_close_row(report, point)
    for label, result in (("HR organisation view, first after close", point.view_first),
                          ("HR organisation view, fresh process", point.view)):
        ratio = result["seconds"] / g
        report.add(Row(label, fmt_s(result["seconds"]), f"GROUP BY {fmt_s(g)}", ratio, "≤ 2",
                       ratio <= 2, f"{result['bytes'] / 1024:.0f} KB page"))
    export = point.export
    ratio = export["seconds"] / g
    report.add(Row("Export CSV, whole campaign", fmt_s(export["seconds"]), f"GROUP BY {fmt_s(g)}",
                   ratio, "≤ 2", ratio <= 2,
                   f"{export['bytes'] / 1e6:.0f} MB, streamed={export['streamed']}"))
    csv_seconds = export["seconds"] + point.export_items["seconds"]
    xlsx = point.xlsx
    ratio = xlsx["seconds"] / csv_seconds
    report.add(Row("Export XLSX (Summary, Areas, Items, About)", fmt_s(xlsx["seconds"]),
                   f"CSV Areas + Items {fmt_s(csv_seconds)}", ratio, "≤ 3", ratio <= 3,
                   f"{xlsx['bytes'] / 1e6:.0f} MB; CSV {export['bytes'] / 1e6:.0f} MB + "
                   f"{point.export_items['bytes'] / 1e6:.0f} MB"))
    peak = max(r["peak_rss_mb"] for r in (export, point.export_items, xlsx))
    report.add(Row("Export peak memory (process RSS)", f"{peak:.0f} MB", "—", None, "< 200 MB",
                   peak < 200, "worst of CSV Areas, CSV Items, XLSX "
                   f"({export['peak_rss_mb']:.0f} / {point.export_items['peak_rss_mb']:.0f} / "
                   f"{xlsx['peak_rss_mb']:.0f} MB)"))


def add_close_row(report: Report, point: ScalePoint) -> None:
    """Close against the GROUP BY of the same answers (issue 16: ≤ 3)."""
    g, close = point.groupby, point.close
    ratio = close["seconds"] / g
    where = close.get("how", "in process")
    memory = f", peak RSS {close['peak_rss_mb']:.0f} MB" if "peak_rss_mb" in close else ""
    report.add(Row(f"Close at {point.subjects:,} subjects ({where})", fmt_s(close["seconds"]),
                   f"GROUP BY {fmt_s(g)}", ratio, "≤ 3", ratio <= 3,
                   f"{close.get('reports_stored', 0):,} reports stored{memory}"
                   + (f"; {close['note']}" if "note" in close else "")))


def close_through_page(database: str, log: Path, campaign: int = 1) -> dict[str, Any]:
    """Close the campaign the way HR does: GET the confirmation page, POST its form, through
    gunicorn with the product's gunicorn.conf.py and no REDIS_URL. The POST commits the close
    and answers at once; a thread of the web process freezes the reports, and HR's campaign
    page (polled here every 2 s, as its refresh does every 5 s) shows "Reports computed: X of
    Y" until done. Returns the POST's answer time and the time until every report is frozen."""
    outbox = Path(tempfile.mkdtemp(prefix="bench-outbox-"))
    env = {**product_env(database, outbox), "REDIS_URL": ""}
    with gunicorn("survey:create_app()", env, log, workers=2) as server:
        cookie = sign_in(server.url)
        path = f"/admin/campaigns/{campaign}/close"
        page = fetch(server.url + path, cookie)
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        if csrf is None:
            raise BenchmarkError(f"no CSRF token on {path}")
        body = urllib.parse.urlencode({"csrf_token": csrf.group(1)}).encode()
        request = urllib.request.Request(
            server.url + path, data=body,
            headers={"User-Agent": USER_AGENT, "Cookie": cookie,
                     "Content-Type": "application/x-www-form-urlencoded"})
        opener = urllib.request.build_opener(_NoRedirect())
        started = time.perf_counter()
        try:
            with opener.open(request, timeout=300) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        answered = time.perf_counter() - started
        if status not in (302, 303):
            raise BenchmarkError(f"close through the HR page answered {status} after "
                                 f"{answered:.1f}s; see {log}")
        progress, polls = "", 0
        while time.perf_counter() - started < 3600:
            found = re.search(r"Reports computed: ([\d,]+) of ([\d,]+)",
                              fetch(f"{server.url}/admin/campaigns/{campaign}", cookie))
            polls += 1
            if found is None:
                raise BenchmarkError("the HR campaign page shows no progress after the close")
            progress = found.group(0)
            if found.group(1) == found.group(2) and "http-equiv=\"refresh\"" not in fetch(
                    f"{server.url}/admin/campaigns/{campaign}", cookie):
                break
            time.sleep(2)
        seconds = time.perf_counter() - started
    stored = _count_reports(database, campaign)
    return {"seconds": seconds, "answered_seconds": answered, "reports_stored": stored,
            "status": status, "how": "HR page POST through gunicorn, no Redis",
            "note": f"HTTP {status} in {answered:.2f}s (worker timeout 60 s); the page showed "
                    f"'{progress}' after {seconds:.0f}s ({polls} polls)"}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _count_reports(database: str, campaign: int) -> int:
    from sqlalchemy import create_engine, text

    from survey.config import normalise_database_url

    engine = create_engine(normalise_database_url(database))
    with engine.connect() as connection:
        return int(connection.execute(
            text("SELECT count(*) FROM report_snapshot WHERE campaign_id = :c"),
            {"c": campaign}).scalar_one())


def add_scaling_rows(report: Report, points: list[ScalePoint]) -> None:
    """Growth between consecutive points divided by the growth in subjects (1.0 = linear)."""
    def worst(values: list[float]) -> float:
        return max((values[i + 1] / values[i]) / (points[i + 1].subjects / points[i].subjects)
                   for i in range(len(points) - 1))

    series = {
        "HR view time": [p.view["seconds"] for p in points],
        "HR view memory": [p.view["peak_rss_mb"] for p in points],
        "export time": [p.export["seconds"] for p in points],
        "export memory": [p.export["peak_rss_mb"] for p in points],
    }
    for name, values in series.items():
        unit = "MB" if "memory" in name else "s"
        shown = " → ".join(f"{v:.0f} MB" if unit == "MB" else fmt_s(v) for v in values)
        factor = worst(values)
        report.add(Row(f"Scaling: {name}", shown, "linear", factor, "≤ 1.2 × linear",
                       factor <= 1.2,
                       " / ".join(f"{p.subjects:,}" for p in points) + " subjects"))


def measure_page_transfer(report: Report, database: str, log: Path, subject: int = 1) -> None:
    """Bytes on the wire for one report page in headless Chromium through gunicorn: cold (an
    empty cache but for the sign-in page's style sheet) and warm (the same page again)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise BenchmarkError("Playwright is not installed (pip install -e '.[test]')") from error
    outbox = Path(tempfile.mkdtemp(prefix="bench-outbox-"))
    with gunicorn("survey:create_app()", product_env(database, outbox), log, workers=2) as server, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context()
            page = context.new_page()
            page.goto(server.url + "/sign-in")  # its style sheet (app.css, 2 KB) is cached
            page.fill("input[name=email]", generate.HR_EMAIL)
            page.fill("input[name=password]", generate.HR_PASSWORD)
            page.click("#submit")
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            wire = [0]
            cdp.on("Network.loadingFinished",
                   lambda event: wire.__setitem__(0, wire[0] + event["encodedDataLength"]))
            path = f"{server.url}/reports/1/{subject}"
            answer = page.goto(path, wait_until="networkidle")
            if answer is None or answer.status != 200 or "plotly" not in page.content():
                raise BenchmarkError(f"report page {path} did not load: "
                                     f"{answer.status if answer else 'no answer'} {page.url}")
            cold, wire[0] = wire[0], 0
            page.goto(path, wait_until="networkidle")
            warm = wire[0]
        finally:
            browser.close()
    report.add(Row("Report page transfer, cold", f"{cold / 1e6:.2f} MB", "—", None, "≤ 1.6 MB",
                   cold <= 1.6e6, "headless Chromium, empty cache, gzip from WhiteNoise"))
    report.add(Row("Report page transfer, warm", f"{warm / 1e3:.0f} KB", "—", None, "≤ 150 KB",
                   warm <= 150e3, "the same page again: static files from the cache"))


def measure_launch(report: Report, database: str, campaign: int) -> None:
    result = probe("launch", database, campaign=campaign)
    rate = result["invitations"] / result["seconds"]
    if result["mails"] == 0:
        report.broken.append("launch wrote no e-mail to the outbox")
    report.add(Row("Launch (invitations + e-mails to the outbox)", fmt_rate(rate, "inv/s"), "—",
                   None, "≥ 5,000/s", rate >= 5000,
                   f"{result['invitations']:,} invitations, {result['mails']:,} e-mails in "
                   f"{result['seconds']:.1f}s"))


# --------------------------------------------------------------------------- table


def table(report: Report, title: str) -> str:
    header = ["figure", "product", "ceiling", "ratio", "target", "result"]
    lines = [[r.figure, r.product, r.ceiling, "—" if r.ratio is None else f"{r.ratio:.2f}",
              r.target, "—" if r.passed is None else ("pass" if r.passed else "FAIL")]
             for r in report.rows]
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    def cells(values: list[str]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    out = [title, "", cells(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [cells(line) for line in lines]
    notes = [f"- {r.figure}: {r.note}" for r in report.rows if r.note] + \
        [f"- {note}" for note in report.notes]
    return "\n".join(out + ["", "Notes:", *notes])


def scaling_table(points: list[ScalePoint]) -> str:
    out = ["| subjects | close | GROUP BY | HR view first | HR view | HR view RSS | export "
           "| export RSS |", "|---|---|---|---|---|---|---|---|"]
    for p in points:
        out.append(f"| {p.subjects:,} | {fmt_s(p.close['seconds'])} | {fmt_s(p.groupby)} | "
                   f"{fmt_s(p.view_first['seconds'])} | {fmt_s(p.view['seconds'])} | "
                   f"{p.view['peak_rss_mb']:.0f} MB | {fmt_s(p.export['seconds'])} | "
                   f"{p.export['peak_rss_mb']:.0f} MB |")
    return "\n".join(out)


# --------------------------------------------------------------------------- main


def attempt(report: Report, figure: str, measure: Callable[[], Any]) -> Any:
    """Run one measurement; a failure becomes an ERROR row and the run goes on."""
    try:
        return measure()
    except BenchmarkError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else "failed"
        report.rows.append(Row(figure, "ERROR", "—", None, "—", None, first[:200]))
        report.broken.append(f"{figure}: {first[:200]}")
        print(f"  {figure}: ERROR {error}", file=sys.stderr, flush=True)
        return None


def run(mode: Mode, base: str | None, skip: set[str]) -> tuple[Report, str]:
    require_wrk()
    DATA.mkdir(parents=True, exist_ok=True)
    log = DATA / "gunicorn.log"
    report = Report()
    main_db = database_for(base, mode.scale)
    print(f"== data: {mode.scale:,} subjects in {main_db}", flush=True)
    result = generate_scale(main_db, mode.scale, pool=mode.product_pool + mode.bare_pool,
                            draft=True)
    print("== close, HR view, export", flush=True)
    points: dict[int, ScalePoint] = {}
    closed = attempt(report, "Close through the HR page", lambda: close_through_page(main_db, log))
    point = attempt(report, "Close, HR view, export",
                    lambda: measure_scale_point(main_db, mode.scale, mode, mode.repeat,
                                                closed or probe("close", main_db)))
    if point is not None:
        points[mode.scale] = point
        add_scale_rows(report, point)
    print("== report JSON and pages", flush=True)
    attempt(report, "Report JSON", lambda: measure_report_json(report, main_db, mode))
    subject_ids = list(range(1, min(mode.scale, 200) + 1))
    attempt(report, "Subject report page",
            lambda: measure_report_pages(report, main_db, subject_ids, mode, log))
    attempt(report, "Report page transfer",
            lambda: measure_page_transfer(report, main_db, log))
    print("== launch", flush=True)
    attempt(report, "Launch", lambda: measure_launch(report, main_db, result.draft_campaign_id))
    if "submit" not in skip:  # last on this database: ~50,000 submissions make it grow
        print("== submissions", flush=True)
        attempt(report, "Submission", lambda: measure_submissions(
            report, main_db, Path(result.pool_file), mode, log))
    if "scaling" in skip:
        return report, ""
    for subjects in mode.scaling:
        if subjects not in points:
            print(f"== scaling point {subjects:,}", flush=True)
            database = database_for(base, subjects)
            generate_scale(database, subjects)
            point = attempt(report, f"Scaling point {subjects:,}",
                            lambda d=database, n=subjects: measure_scale_point(d, n, mode, 1))
            if point is not None:
                points[subjects] = point
                add_close_row(report, point)
    ordered = [points[s] for s in sorted(points)]
    if len(ordered) >= 2:
        add_scaling_rows(report, ordered)
    return report, scaling_table(ordered)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small scale for CI (< 3 minutes)")
    parser.add_argument("--scale", type=int, help="subjects in the main campaign")
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL"),
                        help="SQLAlchemy URL of the main database (default: SQLite files in "
                             "benchmarks/.data); other scales get their own database beside it")
    parser.add_argument("--seconds", type=float, help="duration of each load run")
    parser.add_argument("--skip", action="append", default=[], choices=("submit", "scaling"))
    parser.add_argument("--output", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    mode = QUICK if args.quick else FULL
    if args.scale:
        mode = replace(mode, scale=args.scale, scaling=tuple(sorted({*mode.scaling, args.scale})))
    if args.seconds:
        mode = replace(mode, seconds=args.seconds)
    started = time.perf_counter()
    try:
        report, scaling = run(mode, args.database, set(args.skip))
    except BenchmarkError as error:
        print(f"benchmark broken: {error}", file=sys.stderr)
        return 2
    except Exception:  # noqa: BLE001 - anything else is the benchmark breaking too (exit 2)
        traceback.print_exc()
        print("benchmark broken: an unexpected error (traceback above)", file=sys.stderr)
        return 2
    kind = "quick" if args.quick else "full"
    title = (f"Benchmark ({kind}, {mode.scale:,} subjects, "
             f"{'PostgreSQL' if args.database and 'postgres' in args.database else 'SQLite'}, "
             f"{date.today().isoformat()}, {time.perf_counter() - started:.0f}s)")
    text = table(report, title) + ("\n\nScaling points:\n\n" + scaling if scaling else "")
    print("\n" + text)
    if args.output:
        args.output.write_text(text + "\n")
    if report.broken:
        print("benchmark broken: " + "; ".join(report.broken), file=sys.stderr)
        return 2
    missed = [r.figure for r in report.rows if r.passed is False]
    if missed and not args.quick:
        print(f"{len(missed)} target(s) missed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
