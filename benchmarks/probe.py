"""One in-process measurement in a fresh Python process; prints one JSON line.

    python -m benchmarks.probe COMMAND --database URL [--campaign ID] [...]

Commands: `groupby` (ceiling d), `close`, `org-view`, `export` (CSV), `export-xlsx`,
`report-json` (with ceiling c), `launch`. Times are wall-clock seconds around the operation
only (imports and app start-up excluded); memory is the process's peak resident set during the
operation (VmHWM after a reset), and what it was before. HR pages go through the Flask test
client with an HR session, so the whole view (service, template) is measured without a network
in between.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

GROUP_BY_SQL = (
    "SELECT r.subject_id, r.rater_group, a.area, avg(a.value), count(a.value), "
    "count(*) - count(a.value) FROM answer a JOIN response r ON r.id = a.response_id "
    "WHERE r.campaign_id = :campaign GROUP BY r.subject_id, r.rater_group, a.area"
)
SUBJECT_ANSWERS_SQL = (
    "SELECT r.id, r.rater_group, a.item, a.area, a.value FROM response r "
    "JOIN answer a ON a.response_id = r.id WHERE r.subject_id = :subject"
)


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (kB), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def reset_peak() -> float:
    """Reset the peak resident set to now (Linux clear_refs) and return the current RSS in MB.

    ru_maxrss would not do: Linux carries it over from the parent across fork and exec.
    """
    Path("/proc/self/clear_refs").write_text("5")
    return _status_mb("VmRSS")


def peak_rss_mb() -> float:
    """The process's peak resident set since the last reset_peak(), in MB."""
    return _status_mb("VmHWM")


def make_app(database: str, outbox: str | None = None) -> Any:
    from survey import create_app

    config = {"SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": "benchmark",
              "MAIL_OUTBOX": outbox or tempfile.mkdtemp(prefix="bench-outbox-"),
              "BASE_URL": "http://127.0.0.1:5000", "RATELIMIT_ENABLED": False}
    return create_app(config)


def hr_client(app: Any) -> Any:
    """A test client signed in as the generated HR account through the sign-in form."""
    from benchmarks.generate import HR_EMAIL, HR_PASSWORD

    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if found is None:
        raise SystemExit("no CSRF token on /sign-in")
    response = client.post("/sign-in", data={
        "email": HR_EMAIL, "password": HR_PASSWORD, "csrf_token": found.group(1)})
    if response.status_code not in (302, 303):
        raise SystemExit(f"HR sign-in failed: HTTP {response.status_code}")
    return client


def timed(operation: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = operation()
    return time.perf_counter() - started, value


def probe_groupby(args: argparse.Namespace) -> dict[str, Any]:
    """Ceiling (d): one GROUP BY subject, group, area over the campaign's answers."""
    from sqlalchemy import create_engine, text

    from survey.config import normalise_database_url

    engine = create_engine(normalise_database_url(args.database))
    runs = []
    with engine.connect() as connection:
        for _ in range(args.repeat):
            seconds, rows = timed(lambda: connection.execute(
                text(GROUP_BY_SQL), {"campaign": args.campaign}).fetchall())
            runs.append(seconds)
    return {"seconds": statistics.median(runs), "runs": runs, "rows": len(rows)}


def probe_close(args: argparse.Namespace) -> dict[str, Any]:
    """Close the campaign the way the product does (service, then one commit)."""
    from survey.extensions import db
    from survey.models import Campaign, ReportSnapshot
    from survey.services.lifecycle import close_campaign

    app = make_app(args.database)
    with app.app_context():
        campaign = db.session.get(Campaign, args.campaign)

        def close() -> None:
            close_campaign(campaign, datetime.now(UTC))
            db.session.commit()

        before = reset_peak()
        seconds, _ = timed(close)
        stored = db.session.query(ReportSnapshot).filter_by(campaign_id=args.campaign).count()
    return {"seconds": seconds, "reports_stored": stored, "rss_before_mb": before,
            "peak_rss_mb": peak_rss_mb()}


def probe_page(args: argparse.Namespace, path: str) -> dict[str, Any]:
    """GET one HR page in a fresh process: time, status, bytes, peak memory."""
    app = make_app(args.database)
    client = hr_client(app)
    client.get("/reports/organisation").close()  # warm-up: connection, templates, content
    before = reset_peak()
    seconds, response = timed(lambda: _read_all(client.get(path, buffered=False)))
    status, size, streamed = response
    return {"seconds": seconds, "status": status, "bytes": size, "streamed": streamed,
            "rss_before_mb": before, "peak_rss_mb": peak_rss_mb()}


def _read_all(response: Any) -> tuple[int, int, bool]:
    size = 0
    for chunk in response.iter_encoded():
        size += len(chunk)
    streamed = bool(response.is_streamed)
    response.close()
    return response.status_code, size, streamed


def probe_report_json(args: argparse.Namespace) -> dict[str, Any]:
    """Report JSON p50 against ceiling (c): the subject loaded as the report routes load it
    (with its campaign and person), `services.reports.report_document`, `json.dumps`."""
    from sqlalchemy import text

    from survey.extensions import db
    from survey.models import Subject
    from survey.services.reports import WITH_CAMPAIGN_AND_PERSON, report_document

    app = make_app(args.database)
    with app.app_context():
        ids = list(db.session.scalars(
            db.select(Subject.id).where(Subject.campaign_id == args.campaign)))
        sample = random.Random(8).sample(ids, min(args.sample, len(ids)))
        product, raw = [], []
        for sid in sample:
            seconds, document = timed(lambda sid=sid: json.dumps(report_document(
                db.session.get(Subject, sid, options=WITH_CAMPAIGN_AND_PERSON))))
            product.append(seconds)
            db.session.rollback()  # the read wrote nothing; start the next one afresh
            db.session.expunge_all()
            with db.engine.connect() as connection:
                seconds, _ = timed(lambda sid=sid: connection.execute(
                    text(SUBJECT_ANSWERS_SQL), {"subject": sid}).fetchall())
            raw.append(seconds)
        client = hr_client(app)
        api = []
        for sid in sample[: max(1, len(sample) // 4)]:
            path = f"/api/campaigns/{args.campaign}/subjects/{sid}/report"
            seconds, response = timed(lambda path=path: client.get(path))
            api.append(seconds)
            if response.status_code != 200:
                raise SystemExit(f"GET {path} answered {response.status_code}")
    return {"product_p50": statistics.median(product), "raw_p50": statistics.median(raw),
            "api_p50": statistics.median(api), "subjects": len(sample),
            "document_bytes": len(document)}


def probe_launch(args: argparse.Namespace) -> dict[str, Any]:
    """Launch a draft campaign through the product: invitations, tokens, e-mails to the outbox."""
    from survey.extensions import db
    from survey.mail import send_mails
    from survey.models import Campaign
    from survey.services.lifecycle import launch_campaign

    outbox = Path(tempfile.mkdtemp(prefix="bench-outbox-"))
    reset_peak()
    app = make_app(args.database, str(outbox))
    with app.app_context(), app.test_request_context():
        campaign = db.session.get(Campaign, args.campaign)

        def launch() -> Any:
            result = launch_campaign(campaign, datetime.now(UTC))
            db.session.commit()
            send_mails(result.mails)
            return result

        seconds, result = timed(launch)
    written = sum(1 for _ in outbox.iterdir())
    return {"seconds": seconds, "invitations": result.invitations, "mails": written,
            "outbox": str(outbox), "peak_rss_mb": peak_rss_mb()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("groupby", "close", "org-view", "export",
                                            "export-items", "export-xlsx", "report-json", "launch",
                                            "report-page"))
    parser.add_argument("--database", required=True)
    parser.add_argument("--campaign", type=int, default=1)
    parser.add_argument("--subject", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args(argv)
    commands: dict[str, Callable[[], dict[str, Any]]] = {
        "groupby": lambda: probe_groupby(args),
        "close": lambda: probe_close(args),
        "org-view": lambda: probe_page(args, f"/reports/organisation/{args.campaign}"),
        "export": lambda: probe_page(args, f"/reports/organisation/{args.campaign}/export.csv"),
        "export-items": lambda: probe_page(
            args, f"/reports/organisation/{args.campaign}/export.csv?table=items"),
        "export-xlsx": lambda: probe_page(
            args, f"/reports/organisation/{args.campaign}/export.xlsx"),
        "report-page": lambda: probe_page(args, f"/reports/{args.campaign}/{args.subject}"),
        "report-json": lambda: probe_report_json(args),
        "launch": lambda: probe_launch(args),
    }
    print(json.dumps(commands[args.command]()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
