"""Erasure (issue 20): a rater is forgotten (name, e-mail, invitations) while every report
stays as it was; nobody in an open campaign can be erased; an audit line names no one."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import (
    CampaignStatus,
    Invitation,
    InvitationStatus,
    OrgNorms,
    Person,
    ReportSnapshot,
    Response,
    Subject,
    utcnow,
)
from survey.models_audit import AuditEntry
from survey.services import accounts
from survey.services.frozen_reports import freeze_reports
from tests.factories import (
    add_response,
    add_subject,
    invite,
    make_campaign,
    make_hr_user,
    make_person,
    make_subject_user,
)
from tests.helpers_campaigns import PASSWORD, AuthActions, csrf_token
from tests.helpers_privacy import tables_mentioning
from tests.helpers_reports import api_url, ic_answers, worked_example
from tests.helpers_security import build_security_world, state_of

PIA_EMAIL, PIA_NAME = "pia.peregrine@example.test", "Pia Peregrine"


def pia_everywhere(app: Flask) -> dict[str, Any]:
    """Pia rated Alice (submitted, closed campaign), declined Bob with a reason (released
    campaign), is asked in a draft, has a sign-in account and manages Rob."""
    with app.app_context():
        example = worked_example(status=CampaignStatus.CLOSED)
        pia = make_person(PIA_EMAIL, PIA_NAME, "team_leader")
        make_person("rob@example.test", "Rob Report", manager=pia)
        invitation, _ = invite(example.subject, pia, "peers")
        add_response(example.subject, "peers", ic_answers(5, 5, 4, 4, 3, 3, 2, 2),
                     {"keep_doing": "Clear priorities"}, invitation=invitation)  # fmt: skip
        released = make_campaign("Winter 360", status=CampaignStatus.RELEASED)
        bob = add_subject(released, make_person("bob@example.test", "Bob Other"))
        declined, _ = invite(bob, pia, "peers", InvitationStatus.DECLINED)
        declined.decline_reason = f"{PIA_NAME} is on leave"
        draft = make_campaign("Summer 360", status=CampaignStatus.DRAFT)
        invite(add_subject(draft, make_person("cy@example.test", "Cy Draft")), pia, "peers")
        user = make_subject_user(pia)
        accounts.issue_link_token(user, accounts.SIGN_IN, utcnow())
        make_hr_user("hr@example.test", PASSWORD)
        db.session.commit()
        return {"report": api_url(example.subject), "campaign": example.campaign.id}


def hr_client(app: Flask) -> FlaskClient:
    client = app.test_client()
    AuthActions(client).sign_in()
    return client


def test_an_erased_rater_is_in_no_table_and_every_report_is_unchanged(
    app: Flask, runner: FlaskCliRunner
) -> None:
    world = pia_everywhere(app)
    hr = hr_client(app)
    report_before = hr.get(world["report"]).json
    assert tables_mentioning(app, PIA_EMAIL, PIA_NAME)  # the search finds her before
    with app.app_context():
        responses = db.session.scalar(select(func.count()).select_from(Response))

    result = runner.invoke(args=["person", "erase", PIA_EMAIL.upper(), "--yes"])

    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"erased {PIA_EMAIL}: as a rater in campaigns 1, 2, 3: ")
    assert tables_mentioning(app, PIA_EMAIL, PIA_NAME, "pia.peregrine") == {}
    assert hr.get(world["report"]).json == report_before
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == responses
        rob = db.session.scalar(select(Person).filter_by(email="rob@example.test"))
        assert rob is not None and rob.manager_id is None  # still in the org chart
        (line,) = db.session.scalars(select(AuditEntry)).all()
    assert line.action == "person.erased" and line.actor.startswith("command line")
    assert "pia" not in line.detail.lower()
    assert "3 invitations" in line.detail and "anonymous answers kept" in line.detail


def test_without_yes_the_command_only_says_what_would_go(
    app: Flask, runner: FlaskCliRunner
) -> None:
    pia_everywhere(app)
    before = state_of(app)
    result = runner.invoke(args=["person", "erase", PIA_EMAIL])
    assert result.exit_code == 1
    assert f"would erase {PIA_EMAIL}: as a rater in campaigns 1, 2, 3" in result.output
    assert "nothing erased; add --yes to erase" in result.output
    assert state_of(app) == before


def test_nobody_in_an_open_campaign_can_be_erased(app: Flask, runner: FlaskCliRunner) -> None:
    build_security_world(app)  # Pia rates Tom in "Open 360"; Tom is its subject
    before = state_of(app)
    for email, role in (("pia@example.test", "a rater"), ("tom@example.test", "a subject")):
        result = runner.invoke(args=["person", "erase", email, "--yes"])
        assert result.exit_code == 1
        expected = f"cannot erase {email}: they are {role} in the open campaign “Open 360” (id 2)"
        assert expected in result.output
        assert "erase them once it is closed" in result.output
    assert state_of(app) == before
    unknown = runner.invoke(args=["person", "erase", "ghost@example.test", "--yes"])
    assert "no one with the e-mail ghost@example.test is in the org chart" in unknown.output


def test_hr_erases_a_rater_from_the_people_page_in_two_steps(app: Flask) -> None:
    world = pia_everywhere(app)
    hr = hr_client(app)
    report_before = hr.get(world["report"]).json
    page = hr.get("/admin/people")
    assert "Erase a person" in page.text
    form = hr.get("/admin/people/erase")
    preview = hr.post(
        "/admin/people/erase", data={"csrf_token": csrf_token(form), "email": PIA_EMAIL}
    )
    assert preview.status_code == 200
    assert "as a rater in campaigns 1, 2, 3: 3 invitations and their links removed" in preview.text
    assert tables_mentioning(app, PIA_EMAIL)  # nothing erased yet
    done = hr.post(
        "/admin/people/erase",
        data={"csrf_token": csrf_token(preview), "email": PIA_EMAIL, "confirmed": "yes"},
    )
    assert done.status_code == 302 and done.location.endswith("/admin/people")
    assert f"Erased {PIA_EMAIL}" in hr.get(done.location).text
    assert tables_mentioning(app, PIA_EMAIL, PIA_NAME) == {}
    assert hr.get(world["report"]).json == report_before
    audit = hr.get("/admin/audit").text
    assert "Person erased" in audit and "hr@example.test" in audit
    assert "pia" not in audit.lower()


def test_the_erase_page_says_why_it_refuses(app: Flask) -> None:
    build_security_world(app)
    hr = hr_client(app)
    form = hr.get("/admin/people/erase")
    refused = hr.post(
        "/admin/people/erase", data={"csrf_token": csrf_token(form), "email": "pia@example.test"}
    )
    assert refused.status_code == 422
    assert (
        "Cannot erase pia@example.test: they are a rater in the open campaign “Open 360” (id 2); "
        "erase them once it is closed." in refused.text
    )


@pytest.mark.parametrize("page", ["/admin/people/erase", "/admin/audit"])
def test_privacy_pages_are_for_hr_only(app: Flask, page: str) -> None:
    world = build_security_world(app)
    assert app.test_client().get(page).status_code == 302  # signed out: to the sign-in page
    from tests.helpers_security import sign_in_subject

    subject = app.test_client()
    sign_in_subject(app, subject, world.alice_user)
    assert subject.get(page).status_code == 403


def alice_and_bob(app: Flask) -> dict[str, Any]:
    """A closed campaign with frozen reports: Alice (the worked example) and Bob, whom Alice
    rated as a peer; Alice has a sign-in account; both are in one team."""
    with app.app_context():
        example = worked_example(status=CampaignStatus.CLOSED)
        bob = add_subject(example.campaign, make_person("bob@example.test", "Bob Other"))
        invitation, _ = invite(bob, example.person, "peers")
        add_response(bob, "peers", ic_answers(1, 2, 3, 4, 5, 1, 2, 3),
                     {"keep_doing": "Bob keeps going"}, invitation=invitation)  # fmt: skip
        for _ in range(2):
            add_response(bob, "peers", ic_answers(2, 2, 3, 3, 4, 4, 5, 5))
        user = make_subject_user(example.person)
        accounts.issue_link_token(user, accounts.SIGN_IN, utcnow())
        make_hr_user("hr@example.test", PASSWORD)
        freeze_reports(example.campaign)
        db.session.commit()
        return {"alice": example.subject.id, "bob": api_url(bob), "campaign": example.campaign.id}


ABOUT_ALICE = ("alice@example.test", "Alice Example", "I keep my promises.", "Helpful reviews",
               "always on time")  # fmt: skip


def test_an_erased_subject_leaves_no_row_about_them(app: Flask, runner: FlaskCliRunner) -> None:
    world = alice_and_bob(app)
    hr = hr_client(app)
    bob_before = hr.get(world["bob"]).json
    assert set(tables_mentioning(app, *ABOUT_ALICE)) >= {"person", "subject", "report_snapshot"}

    result = runner.invoke(args=["person", "erase", "alice@example.test", "--yes"])

    assert result.exit_code == 0, result.output
    assert "as a subject in campaign 1: their reports, and the answers" in result.output
    assert tables_mentioning(app, *ABOUT_ALICE) == {}
    with app.app_context():
        for model in (Subject, ReportSnapshot, Response, Invitation):
            column = model.id if model is Subject else model.subject_id
            assert db.session.scalar(select(func.count()).where(column == world["alice"])) == 0
        (norms,) = db.session.scalars(select(OrgNorms)).all()
    assert {norm["n"] for norm in norms.norms} == {1}  # Bob's report alone now
    bob_after = hr.get(world["bob"]).json
    assert bob_after == bob_before  # Bob's answers stay, Alice's among them, unlinked


def test_hr_erases_a_subject_from_the_page(app: Flask) -> None:
    world = alice_and_bob(app)
    hr = hr_client(app)
    form = hr.get("/admin/people/erase")
    preview = hr.post(
        "/admin/people/erase", data={"csrf_token": csrf_token(form), "email": "alice@example.test"}
    )
    assert "as a subject in campaign 1" in preview.text
    done = hr.post(
        "/admin/people/erase",
        data={"csrf_token": csrf_token(preview), "email": "alice@example.test", "confirmed": "yes"},
    )
    assert done.status_code == 302
    assert tables_mentioning(app, *ABOUT_ALICE) == {}
    assert hr.get(f"/reports/{world['campaign']}/{world['alice']}").status_code == 404


def test_an_erased_hr_colleague_is_not_left_in_the_audit_log(
    app: Flask, runner: FlaskCliRunner
) -> None:
    """An HR admin is a person in the org chart too: their e-mail was kept as the actor of
    every audit line they caused (and in "signed out everywhere" lines) after their erasure."""
    pia_everywhere(app)
    runner.invoke(args=["sign-out-everywhere", "hr@example.test"])
    hr = app.test_client()
    AuthActions(hr).sign_in()
    form = hr.get("/admin/people/erase")
    erase_rob = {"csrf_token": csrf_token(form), "email": "rob@example.test", "confirmed": "yes"}
    hr.post("/admin/people/erase", data=erase_rob)
    assert set(tables_mentioning(app, "hr@example.test")) == {"user", "audit_entry"}
    with app.app_context():
        make_person("hr@example.test", "Hanna Resources")
        db.session.commit()

    result = runner.invoke(args=["person", "erase", "HR@example.test", "--yes"])

    assert result.exit_code == 0, result.output
    assert tables_mentioning(app, "hr@example.test", "Hanna Resources") == {}
    with app.app_context():
        lines = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [(line.action, line.actor) for line in lines[:2]] == [
            ("sessions.ended", lines[0].actor),  # the command line's system user
            ("person.erased", "an erased account"),
        ]
        assert lines[0].detail == "every session of HR account (an erased account) ended"


def test_a_person_in_every_role_at_once_is_forgotten_and_others_reports_stay(
    app: Flask, runner: FlaskCliRunner
) -> None:
    """Zed manages Alice in the org chart and rated her as her manager; he is also a subject
    (with his own self-assessment) in that closed campaign, and in a draft nomination
    campaign he is a subject with a nomination link and a peer on Bob's proposed list."""
    from survey.models_nomination import LinkRole, Nomination, NominationLink, NominationPeer

    with app.app_context():
        example = worked_example(status=CampaignStatus.CLOSED)
        zed = make_person("zed.zimmer@example.test", "Zed Zimmer", "team_leader")
        example.person.manager = zed
        zed_subject = add_subject(example.campaign, zed)
        invitation, _ = invite(example.subject, zed, "manager")
        invitation.status = InvitationStatus.SUBMITTED
        own, _ = invite(zed_subject, zed, "self")
        add_response(zed_subject, "self", ic_answers(4, 4, 4, 4, 4, 4, 4, 4),
                     {"keep_doing": "Zed keeps calm"}, invitation=own)  # fmt: skip
        draft = make_campaign("Nominations", status=CampaignStatus.DRAFT)
        bob_subject = add_subject(draft, make_person("bob@example.test"))
        bob = Nomination(campaign_id=draft.id, subject_id=bob_subject.id)
        his = Nomination(campaign_id=draft.id, subject_id=add_subject(draft, zed).id)
        db.session.add_all([bob, his])
        db.session.flush()
        db.session.add(NominationPeer(nomination_id=bob.id, person_id=zed.id))
        db.session.add(NominationLink(token_hash="f" * 64, nomination_id=his.id,
                                      role=LinkRole.SUBJECT))  # fmt: skip
        make_hr_user("hr@example.test", PASSWORD)
        freeze_reports(example.campaign)
        db.session.commit()
        alice_report = api_url(example.subject)
    hr = hr_client(app)
    before = hr.get(alice_report).json

    result = runner.invoke(args=["person", "erase", " Zed.Zimmer@EXAMPLE.test ", "--yes"])

    assert result.exit_code == 0, result.output
    assert "as a rater in campaign 1" in result.output
    assert "as a subject in campaigns 1, 2" in result.output
    assert tables_mentioning(app, "zed.zimmer", "Zed Zimmer", "Zed keeps calm") == {}
    assert hr.get(alice_report).json == before  # his manager answers stay, unlinked
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(NominationPeer)) == 0
        assert db.session.scalar(select(func.count()).select_from(Nomination)) == 1  # Bob's
    again = runner.invoke(args=["person", "erase", "zed.zimmer@example.test", "--yes"])
    assert again.exit_code == 1
    assert "no one with the e-mail zed.zimmer@example.test is in the org chart" in again.output
