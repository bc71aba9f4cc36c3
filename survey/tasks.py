"""RQ job functions (importable by `rq worker mail`): sending e-mail off the request."""

from __future__ import annotations

from typing import Any

from flask import current_app, has_app_context


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


def _deliver(mails: list[dict[str, str]], config: Any) -> int:
    from survey.mail import OutgoingMail, deliver

    deliver([OutgoingMail(**mail) for mail in mails], config)
    return len(mails)
