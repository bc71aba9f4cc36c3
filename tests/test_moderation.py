"""Comment moderation (issue 20): HR removes an abusive or identifying comment from a closed,
unreleased report; its text is then absent from every channel (page, print, JSON, exports,
the stored answers and the frozen report) for HR and the subject, the report says one was
removed, and nothing says who wrote it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from openpyxl import load_workbook
from sqlalchemy import delete, func, select

from survey.extensions import db
from survey.models import Campaign, CampaignStatus, Comment, ReportSnapshot, Response, utcnow
from survey.models_audit import AuditEntry
from survey.services.frozen_reports import freeze_reports
from survey.services.lifecycle import release_campaign
from tests.factories import (
    add_response,
    add_subject,
    make_campaign,
    make_hr_user,
    make_person,
    make_subject_user,
)
from tests.helpers_campaigns import PASSWORD, AuthActions, csrf_token
from tests.helpers_privacy import tables_mentioning
from tests.helpers_reports import api_url, ic_answers, report_url, worked_example
from tests.helpers_security import sign_in_subject

ABUSIVE = "always on time"  # one of the worked example's peer comments


@pytest.fixture
def world(app: Flask) -> dict[str, Any]:
    with app.app_context():
        example = worked_example(status=CampaignStatus.CLOSED)
        make_hr_user("hr@example.test", PASSWORD)
        user = make_subject_user(example.person)
        freeze_reports(example.campaign)
        db.session.commit()
        return {
            "page": report_url(example.subject),
            "api": api_url(example.subject),
            "campaign": example.campaign.id,
            "user": user.id,
            "email": example.person.email,
        }


@pytest.fixture
def hr(app: Flask, world: dict[str, Any]) -> FlaskClient:
    client = app.test_client()
    AuthActions(client).sign_in()
    return client


def remove_links(page: str) -> list[str]:
    return re.findall(r'href="(/admin/campaigns/\d+/subjects/\d+/comments/\d+/remove)"', page)


def link_for(hr: FlaskClient, page_url: str, text: str) -> str:
    """The 'Remove this comment…' link right after the comment reading `text`."""
    page = hr.get(page_url).text
    after = page[page.index(f'<blockquote class="comment">{text}</blockquote>') :]
    found = remove_links(after)
    assert found, "no remove link after that comment"
    return found[0]


def remove(hr: FlaskClient, link: str, reason: str = "Names a colleague") -> Any:
    confirm = hr.get(link)
    assert confirm.status_code == 200
    digest = re.search(r'name="digest" type="hidden" value="([0-9a-f]+)"', confirm.text)
    assert digest, confirm.text
    data = {"csrf_token": csrf_token(confirm), "digest": digest.group(1), "reason": reason}
    return hr.post(link, data=data)


def export_text(app: Flask, runner: FlaskCliRunner, campaign_id: int, tmp: Any) -> dict[str, str]:
    """Format → the text a person reads in that export file (CSV text, XLSX cell values)."""
    texts: dict[str, str] = {}
    for fmt in ("csv", "xlsx"):
        path = tmp / f"export.{fmt}"
        result = runner.invoke(args=["campaign", "export", str(campaign_id), "--format", fmt,
                                     "--output", str(path)])  # fmt: skip
        assert result.exit_code == 0, result.output
        if fmt == "csv":
            texts[fmt] = path.read_text("utf-8-sig")
        else:  # the cells themselves: the file's bytes are compressed, a search would never hit
            book = load_workbook(path, read_only=True)
            texts[fmt] = "\n".join(str(v) for sheet in book
                                   for row in sheet.iter_rows(values_only=True)
                                   for v in row if v is not None)  # fmt: skip
    return texts


def test_a_removed_comment_is_gone_from_every_channel(
    app: Flask, hr: FlaskClient, world: dict[str, Any], runner: FlaskCliRunner, tmp_path: Any
) -> None:
    assert ABUSIVE in hr.get(world["page"]).text
    assert any(c["text"] == ABUSIVE for c in hr.get(world["api"]).json["comments"])
    link = link_for(hr, world["page"], ABUSIVE)
    confirm = hr.get(link).text
    assert f'<blockquote class="comment">{ABUSIVE}</blockquote>' in confirm

    done = remove(hr, link)

    assert done.status_code == 302 and done.location.endswith("#comments")
    page = hr.get(world["page"]).text
    assert ABUSIVE not in page
    assert "One comment was removed by HR." in page
    assert "Helpful reviews" in page  # the other comments stay
    document = hr.get(world["api"]).json
    assert ABUSIVE not in str(document) and document["comments_removed"] == 1
    for text in export_text(app, runner, world["campaign"], tmp_path).values():
        assert ABUSIVE not in text
        assert world["email"] in text  # the search reads what the file shows
    cli = runner.invoke(args=["report", "--campaign", str(world["campaign"]), "--subject",
                              world["email"], "--format", "json"])  # fmt: skip
    assert ABUSIVE not in cli.output and '"comments_removed": 1' in cli.output
    assert tables_mentioning(app, ABUSIVE) == {}  # stored answers, frozen report, audit log


def test_the_subject_reads_that_hr_removed_one_and_nothing_about_whose(
    app: Flask, hr: FlaskClient, world: dict[str, Any]
) -> None:
    remove(hr, link_for(hr, world["page"], ABUSIVE), reason="Peer 2 named the team lead")
    with app.app_context():
        campaign = db.session.get(Campaign, world["campaign"])
        assert campaign is not None
        release_campaign(campaign, utcnow())
        db.session.commit()
    subject = app.test_client()
    sign_in_subject(app, subject, world["user"])
    page = subject.get(world["page"]).text
    assert ABUSIVE not in page and "One comment was removed by HR." in page
    assert "Remove this comment" not in page
    assert "named the team lead" not in page  # HR's reason is for the audit log only
    assert subject.get(world["api"]).json["comments_removed"] == 1
    with app.app_context():
        (line,) = db.session.scalars(select(AuditEntry)).all()
    assert line.action == "comment.redacted" and line.actor == "hr@example.test"
    assert line.campaign_id == world["campaign"]
    assert "Peer 2 named the team lead" in line.detail
    assert "peers" not in line.detail.replace("Peer 2", "") and ABUSIVE not in line.detail
    audit_page = hr.get("/admin/audit").text
    assert "Comment removed" in audit_page and ABUSIVE not in audit_page


def test_comments_cannot_be_removed_once_released(
    app: Flask, hr: FlaskClient, world: dict[str, Any]
) -> None:
    link = link_for(hr, world["page"], ABUSIVE)
    with app.app_context():
        campaign = db.session.get(Campaign, world["campaign"])
        assert campaign is not None
        release_campaign(campaign, utcnow())
        db.session.commit()
    assert remove_links(hr.get(world["page"]).text) == []
    refused = hr.get(link, follow_redirects=True)
    assert "The report is released: its subject may already have read every comment." in (
        refused.text
    )
    assert ABUSIVE in hr.get(world["page"]).text


def test_a_stale_page_removes_nothing(app: Flask, hr: FlaskClient, world: dict[str, Any]) -> None:
    link = link_for(hr, world["page"], ABUSIVE)
    confirm = hr.get(link)
    data = {"csrf_token": csrf_token(confirm), "digest": "0" * 16, "reason": "abusive"}
    refused = hr.post(link, data=data, follow_redirects=True)
    assert "The comments changed since the page was opened; look again." in refused.text
    assert ABUSIVE in hr.get(world["page"]).text


def test_a_reason_is_required(hr: FlaskClient, world: dict[str, Any]) -> None:
    link = link_for(hr, world["page"], ABUSIVE)
    answer = remove(hr, link, reason="")
    assert answer.status_code == 200 and "This field is required." in answer.text
    assert ABUSIVE in hr.get(world["page"]).text


def test_only_hr_reaches_the_removal_page(app: Flask, world: dict[str, Any]) -> None:
    link = "/admin/campaigns/1/subjects/1/comments/0/remove"
    assert app.test_client().get(link).status_code == 302  # to the sign-in page
    with app.app_context():
        campaign = db.session.get(Campaign, world["campaign"])
        assert campaign is not None
        release_campaign(campaign, utcnow())
        db.session.commit()
    subject = app.test_client()
    sign_in_subject(app, subject, world["user"])
    assert subject.get(link).status_code == 403


def test_the_removed_comment_leaves_the_stored_answers_not_a_hidden_twin(
    app: Flask, runner: FlaskCliRunner
) -> None:
    """The same words in a hidden group (nine direct reports under k = 10) and in the manager's
    shown comment: removing the manager's deleted any one of the ten stored comments, so a report
    computed again from the stored answers (a report format change, or a missing frozen
    document) showed the removed comment again."""
    words = "Stop shouting at the team"
    with app.app_context():
        campaign = make_campaign("Autumn 360", status=CampaignStatus.CLOSED, min_raters=10)
        subject = add_subject(campaign, make_person("alice@example.test", "Alice Example"))
        for _ in range(9):
            add_response(subject, "direct_reports", ic_answers(3, 3, 3, 3, 3, 3, 3, 3),
                         {"stop_doing": words})  # fmt: skip
        add_response(subject, "manager", ic_answers(3, 4, 2, 2, 4, 4, 5, 5), {"stop_doing": words})
        make_hr_user("hr@example.test", PASSWORD)
        freeze_reports(campaign)
        db.session.commit()
        page, api = report_url(subject), api_url(subject)
    hr = app.test_client()
    AuthActions(hr).sign_in()
    assert hr.get(api).json["comments"] == [
        {"group": "manager", "question": "stop_doing", "text": words}
    ]

    assert remove(hr, link_for(hr, page, words)).status_code == 302

    with app.app_context():  # computed again from the stored answers
        db.session.execute(delete(ReportSnapshot))
        db.session.commit()
    document = hr.get(api).json
    assert document["comments"] == [] and document["comments_removed"] == 1
    with app.app_context():
        stored = db.session.execute(
            select(Response.rater_group, func.count())
            .join(Comment, Comment.response_id == Response.id)
            .group_by(Response.rater_group)
        ).all()
    assert dict(stored) == {"direct_reports": 9}  # the hidden reports' words stay, unseen


def test_a_frozen_report_of_an_older_format_does_not_keep_the_removed_comment(
    app: Flask, hr: FlaskClient, world: dict[str, Any]
) -> None:
    """A report stored under an older format (before a report-format upgrade) is read
    recomputed, so removing a comment left that old document, text and all, in the table."""
    with app.app_context():
        (snapshot,) = db.session.scalars(select(ReportSnapshot)).all()
        snapshot.document = {**snapshot.document, "format": snapshot.document["format"] - 1}
        db.session.commit()

    assert remove(hr, link_for(hr, world["page"], ABUSIVE)).status_code == 302

    assert ABUSIVE not in hr.get(world["page"]).text
    assert tables_mentioning(app, ABUSIVE) == {}
