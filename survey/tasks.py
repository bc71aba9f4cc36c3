"""RQ job functions (importable by `rq worker mail`): sending e-mail, answering a sign-in link
request, and computing the frozen reports of a just-closed campaign off the request."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, has_app_context


def send_messages(mails: list[dict[str, str]]) -> int:
    """Deliver queued messages with the app's mail settings; returns how many were sent.

    Runs inside the current app context when there is one (tests, `Queue(is_async=False)`);
    a worker process builds the app from its own environment.
    """
    if has_app_context():
        return _deliver(mails, current_app.config)
    from survey import create_app

    app = create_app()
    with app.app_context():
        return _deliver(mails, app.config)


def send_sign_in_link(email: str) -> int:
    """E-mail a fresh sign-in link when `email` belongs to an active subject account; returns
    how many messages went (0 or 1). Commits once.

    Runs after the `/request-link` response has been sent (or on the queue), so that page takes
    the same time whoever asks (issue 20).
    """
    if has_app_context():
        return _send_sign_in_link(email)
    from survey import create_app

    with create_app().app_context():
        return _send_sign_in_link(email)


def _send_sign_in_link(email: str) -> int:
    from survey.extensions import db
    from survey.mail import deliver
    from survey.models import utcnow
    from survey.services.accounts import request_sign_in_mail

    mail = request_sign_in_mail(email, utcnow())
    db.session.commit()
    if mail is None:
        return 0
    deliver([mail], current_app.config)
    return 1


def enqueue(function: Callable[..., Any], *args: Any, redis_url: str, queue_name: str) -> None:
    """Put `function(*args)` on the RQ queue `queue_name`."""
    from redis import Redis
    from rq import Queue

    Queue(queue_name, connection=Redis.from_url(redis_url)).enqueue(function, *args)


def freeze_reports(campaign_id: int) -> int:
    """Compute and store every missing frozen report of a closed campaign; returns how many.

    Enqueued by the HR page's close when REDIS_URL is set (a 10,000-subject campaign takes
    longer than a web request may); run in a thread by `freeze_in_background` without it.
    Commits every 200 reports (the HR page shows the progress; a freeze cut short resumes
    where it stopped, from `survey tick`); on PostgreSQL then refreshes the planner's
    statistics of the frozen report tables.
    """
    if has_app_context():
        return _freeze(campaign_id)
    from survey import create_app

    with create_app().app_context():
        return _freeze(campaign_id)


def _freeze(campaign_id: int) -> int:
    from survey.database import purge_deleted_rows
    from survey.extensions import db
    from survey.models import Campaign, utcnow
    from survey.services.frozen_reports import freeze_reports as store
    from survey.services.lifecycle import seal_closed_campaign

    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        return 0  # deleted since: nothing to compute
    if seal_closed_campaign(campaign, utcnow()):  # the HR page's close left the seal to us
        db.session.commit()
        purge_deleted_rows()  # after the commit: sealed rows leave no trace on disk
    written = store(campaign, in_steps=True)
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
            autocommit.exec_driver_sql("ANALYZE report_snapshot, org_norms")
    return written


def freeze_in_background(app: Flask, campaign_id: int) -> threading.Thread:
    """Start `freeze_reports(campaign_id)` in a thread of this process with its own app
    context, and return it (the HR page's close without Redis: the close is committed, the page
    answers at once and shows the progress).

    A failure is logged, never raised: what was committed stays, and `survey tick` resumes the
    freeze; so it does if the process ends first (a restarted gunicorn worker).
    """

    def run() -> None:
        with app.app_context():
            try:
                _freeze(campaign_id)
            except Exception:  # noqa: BLE001 - a thread has no caller to raise to
                from survey.extensions import db

                db.session.rollback()
                app.logger.exception(
                    "campaign %s: freezing reports stopped; `survey tick` resumes it",
                    campaign_id,
                )

    thread = threading.Thread(target=run, name=f"freeze-campaign-{campaign_id}", daemon=True)
    thread.start()
    return thread


def enqueue_freeze(campaign_id: int, redis_url: str, queue_name: str) -> None:
    """Put `freeze_reports(campaign_id)` on the RQ queue `queue_name` (no time limit)."""
    from redis import Redis
    from rq import Queue

    queue = Queue(queue_name, connection=Redis.from_url(redis_url))
    queue.enqueue(freeze_reports, campaign_id, job_timeout=-1)


def _deliver(mails: list[dict[str, str]], config: Any) -> int:
    from survey.mail import OutgoingMail, deliver

    deliver([OutgoingMail(**mail) for mail in mails], config)
    return len(mails)
