"""Report test helpers: a worked example with hand-computed figures, scenarios, signing in."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient

from survey.extensions import db
from survey.models import Campaign, CampaignStatus, Person, Subject, User
from tests.factories import add_response, add_subject, make_campaign, make_person

IC_ITEMS = {
    "results": ("ic_delivers_commitments", "ic_finishes_work"),
    "improvement": ("ic_follows_processes", "ic_masters_tools"),
    "growth": ("ic_deepens_expertise", "ic_acts_on_feedback"),
    "culture": ("ic_acts_on_values", "ic_treats_colleagues"),
}


def ic_answers(*values: int | None) -> dict[str, int | None]:
    """Map 8 values onto the IC items in questionnaire order (results, improvement, growth,
    culture)."""
    keys = [key for items in IC_ITEMS.values() for key in items]
    return dict(zip(keys, values, strict=True))


@dataclass
class Example:
    campaign: Campaign
    subject: Subject
    person: Person


def worked_example(status: CampaignStatus = CampaignStatus.RELEASED, team: str = "Blue") -> Example:
    """Alice (IC, k=3): self, manager and 3 peers; every figure is computed by hand in the tests.

    self    4 4 | 3 3 | 5 5 | 4 4
    manager 3 4 | 2 - | 4 4 | 5 5
    peer 1  3 3 | 2 2 | 3 3 | 4 4
    peer 2  4 4 | 3 3 | 3 - | 4 5
    peer 3  2 3 | - - | 4 4 | 5 5      (- = N/A)
    """
    campaign = make_campaign(name="Autumn 360", status=status, min_raters=3)
    person = make_person("alice@example.test", "Alice Example", team=team)
    subject = add_subject(campaign, person)
    add_response(subject, "self", ic_answers(4, 4, 3, 3, 5, 5, 4, 4),
                 {"keep_doing": "I keep my promises."})
    add_response(subject, "manager", ic_answers(3, 4, 2, None, 4, 4, 5, 5))
    add_response(subject, "peers", ic_answers(3, 3, 2, 2, 3, 3, 4, 4),
                 {"keep_doing": "Helpful reviews", "stop_doing": "=HYPERLINK(\"x\")"})
    add_response(subject, "peers", ic_answers(4, 4, 3, 3, 3, None, 4, 5),
                 {"keep_doing": "always on time"})
    add_response(subject, "peers", ic_answers(2, 3, None, None, 4, 4, 5, 5))
    db.session.commit()
    return Example(campaign, subject, person)


def team_leader_scenario(
    campaign: Campaign,
    email: str,
    *,
    peers: int,
    reports: int,
    team: str = "Green",
    include_next_level: bool = False,
    base: int = 3,
) -> Subject:
    """A team leader with self, manager, `peers` peers and `reports` direct reports answering."""
    from survey.domain.questionnaire import load_content

    person = make_person(email, level="team_leader", team=team)
    subject = add_subject(campaign, person, include_next_level=include_next_level)
    content = load_content()
    levels = ["team_leader"] + (["business_leader"] if include_next_level else [])
    plan = [("self", 1), ("manager", 1), ("peers", peers), ("direct_reports", reports)]
    for g_index, (group, count) in enumerate(plan):
        for r in range(count):
            answers: dict[str, int | None] = {}
            for level in levels:
                for i, item in enumerate(content.level(level).items):
                    if group in item.observers:
                        value = 1 + (base + i + r + g_index * (1 if group != "self" else 2)) % 5
                        answers[item.key] = None if (i + r) % 11 == 7 else value
            comments = {"keep_doing": f"{group} comment {r + 1}"} if r < 2 else {}
            add_response(subject, group, answers, comments)
    return subject


def sign_in(client: FlaskClient, user_id: int) -> None:
    """Sign a user in through the Flask-Login session (the sign-in views belong to auth)."""
    from importlib.metadata import version

    from flask_login.utils import _create_identifier

    werkzeug_version = version("werkzeug")

    environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": f"Werkzeug/{werkzeug_version}"}
    with client.application.test_request_context(environ_base=environ):
        identifier = _create_identifier()  # session_protection="strong" checks it
        user = db.session.get(User, user_id)
        assert user is not None
        session_id = user.get_id()  # carries the account's session version
    now = int(time.time())
    with client.session_transaction() as sess:
        sess["_user_id"] = session_id
        sess["_fresh"] = True
        sess["_id"] = identifier
        sess["signed_in_at"] = sess["seen_at"] = now


def report_url(subject: Subject) -> str:
    return f"/reports/{subject.campaign_id}/{subject.id}"


HR_EMAIL = "hr@example.test"
HR_PASSWORD = "correct horse battery"


def open_report_as_hr(page: Any, base_url: str, url: str) -> None:
    """In a browser `page`: sign in through the form as HR_EMAIL, open the report at `url`
    and wait until report.js has drawn every chart (`html[data-print-ready]`)."""
    page.goto(base_url + "/sign-in")
    page.get_by_label("E-mail").fill(HR_EMAIL)
    page.get_by_label("Password").fill(HR_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(base_url + url)
    page.wait_for_selector("html[data-print-ready]")


def api_url(subject: Subject) -> str:
    return f"/api/campaigns/{subject.campaign_id}/subjects/{subject.id}/report"


def cells(document: dict[str, Any], key: str, group: str) -> dict[str, tuple[float, int]]:
    """Return area or item key → (score, n) of one group from a report JSON list."""
    field = "area" if key == "area_scores" else "item"
    return {c[field]: (c["score"], c["n"]) for c in document[key] if c["group"] == group}
