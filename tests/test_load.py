"""A campaign launch burst against the real app under gunicorn (4 workers), issue 7 point 1.

200 raters submit complete questionnaires at once, and 50 of them send the same form a second
time at the same moment (a double click from two tabs). Exactly 200 responses are stored, every
duplicate gets the plain "already submitted" page (409), nothing answers 5xx, the database
never reports itself locked, and gunicorn's access log holds no link token. Runs on SQLite
(WAL) and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Answer, Comment, Invitation, InvitationStatus, Response
from survey.services.questionnaires import questionnaire_for
from tests.factories import add_subject, invite, make_campaign, make_person
from tests.helpers_server import GunicornServer, HttpRater, Reply, submission

pytestmark = pytest.mark.slow

SUBJECTS, RATERS_EACH, DUPLICATES = 20, 10, 50


def build_burst(app: Flask) -> tuple[list[tuple[int, str]], list[str]]:
    """20 team leaders × 10 peers: 200 invitations, each with its own rater link."""
    with app.app_context():
        campaign = make_campaign(min_raters=3)
        boss = make_person("boss@example.test", "Bo Boss", "business_leader")
        links = []
        for s in range(SUBJECTS):
            lead = make_person(f"lead{s}@example.test", f"Lead {s}", "team_leader", manager=boss)
            subject = add_subject(campaign, lead)
            for r in range(RATERS_EACH):
                person = make_person(f"p{s}-{r}@example.test", f"Peer {s}-{r}", manager=boss)
                invitation, token = invite(subject, person, "peers")
                links.append((invitation.id, token))
        keys = questionnaire_for(subject, "peers").item_keys()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return links, keys


def submit(base_url: str, link: tuple[int, str], keys: list[str], twice: bool) -> list[Reply]:
    """GET the form, then POST it once, or twice at the same moment from two threads."""
    invitation_id, token = link
    rater = HttpRater(base_url, token)
    page, csrf = rater.form(invitation_id)
    if page.status != 200 or not csrf:
        return [page]
    data = submission(csrf, keys, comment=f"Keeps the team focused ({invitation_id}).")
    if not twice:
        return [rater.post_form(invitation_id, data)]
    start = threading.Barrier(2)
    replies: list[Reply] = []

    def post() -> None:
        start.wait()
        replies.append(rater.post_form(invitation_id, data))

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return replies


def stored(app: Flask) -> dict[str, int]:
    with app.app_context():
        count = {
            name: db.session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in (("responses", Response), ("answers", Answer), ("comments", Comment))
        }
        submitted = select(func.count()).where(Invitation.status == InvitationStatus.SUBMITTED)
        count["submitted"] = db.session.scalar(submitted) or 0
        db.session.remove()
    return count


def test_burst_of_200_submissions_and_50_duplicates(app: Flask, tmp_path: Path) -> None:
    links, keys = build_burst(app)
    url = str(app.config["SQLALCHEMY_DATABASE_URI"])
    with GunicornServer(url, tmp_path, workers=4) as server:
        with ThreadPoolExecutor(max_workers=24) as pool:
            futures = [
                pool.submit(submit, server.url, link, keys, index < DUPLICATES)
                for index, link in enumerate(links)
            ]
            replies = [reply for f in futures for reply in f.result(timeout=90)]
        logs = server.logs()
    statuses = Counter(reply.status for reply in replies)
    assert statuses == {303: 200, 409: DUPLICATES}, statuses
    assert all("already submitted" in r.text.lower() for r in replies if r.status == 409)
    assert not [r for r in replies if "database is locked" in r.text]
    assert "database is locked" not in logs
    assert stored(app) == {
        "responses": 200,
        "answers": 200 * len(keys),
        "comments": 200,
        "submitted": 200,
    }
    access = server.access_log.read_text()
    assert access.count('"POST"') == 250 and access.count('"GET"') >= 200
    assert not any(token in logs for _, token in links), "a rater token reached a log"
