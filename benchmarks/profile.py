"""Profile one product operation with pyinstrument on a generated database.

    .venv/bin/pip install pyinstrument
    .venv/bin/python -m benchmarks.profile submit --database sqlite:///benchmarks/.data/survey-200.sqlite
    .venv/bin/python -m benchmarks.profile precompute|report-page|launch|export|org-view ...

Runs the operation in-process through the Flask test client (or the service), counts SQL
statements, and prints the pyinstrument tree. `submit` uses the pool side file; `precompute`
deletes the campaign's frozen reports first and closes it if it is still open.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event

from benchmarks.generate import default_pool_file
from benchmarks.probe import hr_client, make_app


class StatementCounter:
    """Counts SQL statements executed on an engine while active."""

    def __init__(self, engine: Any) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: Any) -> None:
        self.count += 1


def submit_operation(app: Any, database: str, repeat: int) -> Callable[[], None]:
    lines = iter(default_pool_file(database).read_text().splitlines()[-repeat * 2:])
    client = app.test_client()

    def submit() -> None:
        for _ in range(repeat):
            invitation, token, body = next(lines).split("\t")
            path = f"/r/{token}/{invitation}"
            page = client.get(path).get_data(as_text=True)
            csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
            assert csrf is not None, page[:500]
            response = client.post(path, data=f"csrf_token={csrf.group(1)}&{body}",
                                   content_type="application/x-www-form-urlencoded")
            assert response.status_code == 303, response.status_code

    return submit


def precompute_operation(app: Any, campaign_id: int) -> Callable[[], None]:
    from survey.extensions import db
    from survey.models import Campaign, OrgNorms, ReportSnapshot
    from survey.services.frozen_reports import freeze_reports
    from survey.services.lifecycle import close_campaign

    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        if campaign.status.value == "open":
            close_campaign(campaign, datetime.now(UTC), freeze=False)
        db.session.query(OrgNorms).filter_by(campaign_id=campaign_id).delete()
        db.session.query(ReportSnapshot).filter_by(campaign_id=campaign_id).delete()
        db.session.commit()

    def precompute() -> None:
        with app.app_context():
            freeze_reports(db.session.get(Campaign, campaign_id))
            db.session.commit()

    return precompute


def page_operation(app: Any, paths: list[str]) -> Callable[[], None]:
    client = hr_client(app)
    client.get("/reports/organisation").close()  # warm-up: connection, templates

    def get() -> None:
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            response.get_data()  # drain a streamed body

    return get


def launch_operation(app: Any, campaign_id: int) -> Callable[[], None]:
    from survey.extensions import db
    from survey.mail import send_mails
    from survey.models import Campaign
    from survey.services.lifecycle import launch_campaign

    def launch() -> None:
        with app.app_context(), app.test_request_context():
            result = launch_campaign(db.session.get(Campaign, campaign_id),
                                     datetime.now(UTC))
            db.session.commit()
            send_mails(result.mails)

    return launch


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("operation", choices=("submit", "precompute", "report-page", "launch",
                                              "export", "org-view"))
    parser.add_argument("--database", required=True)
    parser.add_argument("--campaign", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--html", type=Path, help="also write pyinstrument's HTML here")
    args = parser.parse_args(argv)
    from pyinstrument import Profiler

    app = make_app(args.database)
    operations: dict[str, Callable[[], Callable[[], None]]] = {
        "submit": lambda: submit_operation(app, args.database, args.repeat),
        "precompute": lambda: precompute_operation(app, args.campaign),
        "report-page": lambda: page_operation(
            app, [f"/reports/{args.campaign}/{i}" for i in range(1, args.repeat + 1)]),
        "org-view": lambda: page_operation(app, [f"/reports/organisation/{args.campaign}"]),
        "export": lambda: page_operation(
            app, [f"/reports/organisation/{args.campaign}/export.csv"]),
        "launch": lambda: launch_operation(app, args.campaign),
    }
    operation = operations[args.operation]()
    with app.app_context():
        from survey.extensions import db

        counter = StatementCounter(db.engine)
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        operation()
    seconds = time.perf_counter() - started
    print(f"{args.operation}: {seconds:.3f}s, {counter.count} SQL statements", file=sys.stderr)
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    if args.html:
        args.html.write_text(profiler.output_html())
    return 0


if __name__ == "__main__":
    sys.exit(main())
