"""Review of issue 17 (progress pulse anonymity, plan privacy): attacks the first tests missed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text

from survey.extensions import db
from survey.models import Person
from survey.models_plans import PulseResponse
from tests.helpers_plans import answer_pulse, invitation_url
from tests.test_pulse import EXPERTISE, RESULTS, close, launched, report  # noqa: F401

RATERS = ("peer1@example.test", "peer2@example.test", "peer3@example.test", "bob@example.test")


def physical_order(table: str) -> list[str]:
    """The response ids of `table` in the order its rows lie on disk (PostgreSQL's ctid;
    SQLite's WITHOUT ROWID tables lie in key order)."""
    if db.session.get_bind().dialect.name == "postgresql":
        query = f"SELECT response_id FROM {table} ORDER BY ctid"
    else:
        query = f"SELECT response_id FROM {table}"
    return list(db.session.scalars(text(query)))


def test_sealed_pulse_rows_lie_in_random_id_order_not_submission_order(
    app: Flask,
    runner: FlaskCliRunner,
    launched,  # noqa: F811
) -> None:
    """Pulse receipts keep the order raters submitted in; if the sealed answers and comments
    kept it too (PostgreSQL re-inserts rows in the order a plain SELECT returns them: heap
    order, i.e. submission order), the n-th receipt would name the n-th answer's rater. Eight
    responses: a submission order that happens to be sorted has odds 1 in 40,320."""
    _, pulse_id, links = launched
    for name in ("Alice Example", "Carl Coder"):
        for number, email in enumerate(RATERS):
            answers = {RESULTS: str(number - 2), EXPERTISE: "1"}
            if name == "Carl Coder":
                answers = {"area:culture": str(number - 1)}
            assert (
                answer_pulse(
                    app.test_client(), links[email], name, answers, f"{name} note {number}"
                ).status_code
                == 303
            )
    close(runner, pulse_id)
    with app.app_context():
        answers = physical_order("pulse_answer")
        comments = physical_order("pulse_comment")
    assert len(answers) == 12 and len(comments) == 8
    assert answers == sorted(answers)
    assert comments == sorted(comments)
    # and the results are still whole
    assert report(runner, pulse_id)["focus"][0]["n"] == 4


def alice_shares_her_plan(app: Flask) -> tuple[Any, FlaskClient, int]:
    """A released team; Alice writes her plan (holding "Zebra-7731") and shares it with Bob,
    her manager; returns the team, Alice's signed-in client and the plan's id."""
    from survey.models_plans import DevelopmentPlan
    from tests.helpers_plans import released_team, write_plan
    from tests.test_pulse import signed_in

    with app.app_context():
        team = released_team()
    alice = signed_in(app, "alice@example.test")
    assert write_plan(alice, team.alice, [RESULTS], share=True).status_code == 303
    with app.app_context():
        plan_id = db.session.scalar(db.select(DevelopmentPlan.id))
    return team, alice, plan_id


def test_unsharing_takes_the_plan_away_from_the_manager(app: Flask, outbox: Path) -> None:
    from tests.helpers_plans import write_plan
    from tests.test_pulse import signed_in

    team, alice, plan_id = alice_shares_her_plan(app)
    bob = signed_in(app, "bob@example.test")
    assert "Zebra-7731" in bob.get(f"/plans/shared/{plan_id}").get_data(as_text=True)
    assert write_plan(alice, team.alice, [RESULTS], share=False).status_code == 303
    assert bob.get(f"/plans/shared/{plan_id}").status_code == 404
    assert "Zebra-7731" not in bob.get("/plans/shared").get_data(as_text=True)
    assert "Alice Example" not in bob.get("/plans/shared").get_data(as_text=True)


def test_no_one_but_the_subject_writes_or_reads_their_plan(app: Flask, outbox: Path) -> None:
    from survey.models_plans import DevelopmentPlan
    from tests.factories import make_hr_user
    from tests.helpers_plans import released_team, write_plan
    from tests.helpers_reports import sign_in
    from tests.test_pulse import signed_in

    with app.app_context():
        team = released_team()
        hr_id = make_hr_user().id
        db.session.commit()
    alice = signed_in(app, "alice@example.test")
    assert write_plan(alice, team.alice, [RESULTS], share=True).status_code == 303
    hr = app.test_client()
    sign_in(hr, hr_id)
    carl = signed_in(app, "carl@example.test")
    peer = signed_in(app, "peer1@example.test")
    for client in (hr, carl, peer):
        page = client.get(f"/plans/{team.alice}")
        assert page.status_code == 404 and "Zebra-7731" not in page.get_data(as_text=True)
        # a forged POST (no CSRF token) changes nothing
        forged = client.post(
            f"/plans/{team.alice}",
            data={"focus": ["area:culture"], "actions": "forged", "target_date": "2099-01-01"},
        )
        assert forged.status_code in (400, 404)
        assert "Zebra-7731" not in forged.get_data(as_text=True)
    assert hr.get("/plans/shared").status_code == 404
    with app.app_context():
        plan = db.session.scalars(db.select(DevelopmentPlan)).one()
        assert plan.focus == [RESULTS] and "Zebra-7731" in plan.actions
        plan_id = plan.id
    for client in (hr, carl, peer):
        assert client.get(f"/plans/shared/{plan_id}").status_code == 404


def test_a_pulse_link_cannot_answer_another_raters_invitation(app: Flask, launched) -> None:  # noqa: F811
    from survey.models_plans import PulseInvitation, PulseRater
    from tests.helpers_campaigns import csrf_token

    _, _, links = launched
    with app.app_context():
        peer2 = db.session.scalar(db.select(Person.id).filter_by(email="peer2@example.test"))
        others = db.session.scalars(
            db.select(PulseInvitation.id).join(PulseRater).where(PulseRater.person_id == peer2)
        ).all()
    assert len(others) == 2
    client = app.test_client()
    home = client.get(invitation_url(client, links["peer1@example.test"], "Alice Example"))
    for invitation_id in others:
        url = f"{links['peer1@example.test']}/{invitation_id}"
        assert client.get(url).status_code == 404
        posted = client.post(
            url, data={"csrf_token": csrf_token(home), RESULTS: "2", "comment": "forged"}
        )
        assert posted.status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(PulseResponse)) == 0


def test_an_unreleased_first_campaign_is_nowhere_on_the_subjects_second_report(
    app: Flask,
) -> None:
    """Not the change table only: the radar's overlay trace and its name are absent too."""
    from survey.models import CampaignStatus
    from tests.test_trend import signed_in_on_second_report

    client = app.test_client()
    url, page, _ = signed_in_on_second_report(app, client, CampaignStatus.CLOSED)
    for address in (page, url, f"{page}?print=1"):
        body = client.get(address).get_data(as_text=True)
        assert "Autumn 360" not in body and '"previous"' not in body.replace(
            '"previous": null', ""
        ).replace('"previous":null', ""), address


def test_a_new_manager_does_not_inherit_a_plan_shared_with_the_old_one(
    app: Flask, outbox: Path
) -> None:
    """Alice shared her plan with Bob. The org chart then moves her under Dave: Dave was never
    chosen, so he must not read it (nor Bob, no longer her manager); Alice can share again."""
    from survey.services.orgchart import import_people
    from tests.helpers_plans import mails_to, write_plan
    from tests.test_pulse import signed_in

    team, alice, plan_id = alice_shares_her_plan(app)
    with app.app_context():
        import_people(
            b"email,name,level,manager_email,team\n"
            b"dave@example.test,Dave Boss,team_leader,,Team\n"
            b"alice@example.test,Alice Example,individual_contributor,dave@example.test,Team\n"
        )
        db.session.commit()
    for email in ("dave@example.test", "bob@example.test"):
        manager = signed_in(app, email)
        assert manager.get(f"/plans/shared/{plan_id}").status_code == 404
        assert "Zebra-7731" not in manager.get("/plans/shared").get_data(as_text=True)
    page = alice.get(f"/plans/{team.alice}").get_data(as_text=True)
    assert "Zebra-7731" in page and "Dave Boss" in page
    assert '<span class="badge">Private</span>' in page
    # sharing again reaches Dave, with his e-mail
    assert write_plan(alice, team.alice, [RESULTS], share=True).status_code == 303
    assert len(mails_to(outbox, "dave@example.test")) == 1
    dave = signed_in(app, "dave@example.test")
    assert "Zebra-7731" in dave.get(f"/plans/shared/{plan_id}").get_data(as_text=True)
