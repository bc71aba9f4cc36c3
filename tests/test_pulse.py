"""SPEC §12 progress pulse: launch, one e-mail per rater, answer once, pooled at n >= k."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from survey.extensions import db
from survey.models import Person, User, utcnow
from survey.models_plans import PulseAnswer, PulseComment, PulseDraft, PulseResponse
from tests.factories import make_hr_user, make_subject_user
from tests.helpers_campaigns import read_outbox, text_of
from tests.helpers_plans import (
    Team,
    answer_pulse,
    launch_pulse,
    mails_to,
    pulse_links,
    released_team,
    write_plan,
)
from tests.helpers_privacy import tables_mentioning
from tests.helpers_reports import sign_in

RESULTS, EXPERTISE = "area:results", "item:ic_deepens_expertise"


def signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email=email))
        if user is None:
            user = make_subject_user(
                db.session.scalars(db.select(Person).filter_by(email=email)).one()
            )
            db.session.commit()
        user_id = user.id
    sign_in(client, user_id)
    return client


@pytest.fixture
def launched(app: Flask, runner: FlaskCliRunner, outbox: Path) -> tuple[Team, int, dict[str, str]]:
    """Alice's plan focuses on results and deepening expertise, Carl's on culture; a pulse is
    launched (k = 3); returns the team, the pulse id and each rater's link."""
    with app.app_context():
        team = released_team()
    alice = signed_in(app, "alice@example.test")
    assert write_plan(alice, team.alice, [RESULTS, EXPERTISE]).status_code == 303
    carl = signed_in(app, "carl@example.test")
    assert write_plan(carl, team.carl, ["area:culture"]).status_code == 303
    pulse_id = launch_pulse(runner, team.campaign_id)
    return team, pulse_id, pulse_links(outbox)


def report(runner: FlaskCliRunner, pulse_id: int, email: str = "alice@example.test") -> dict:
    result = runner.invoke(
        args=["pulse", "report", str(pulse_id), "--subject", email, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def close(runner: FlaskCliRunner, pulse_id: int) -> None:
    result = runner.invoke(args=["pulse", "close", str(pulse_id)])
    assert result.exit_code == 0, result.output


def test_each_rater_gets_one_email_listing_every_subject(launched, outbox: Path) -> None:
    _, _, links = launched
    # Bob and the three peers rated both; the subjects are not asked about themselves
    assert sorted(links) == [
        "bob@example.test",
        "peer1@example.test",
        "peer2@example.test",
        "peer3@example.test",
    ]
    (mail,) = mails_to(outbox, "peer1@example.test")
    assert "Alice Example" in text_of(mail) and "Carl Coder" in text_of(mail)
    assert mails_to(outbox, "alice@example.test") == []


def test_the_question_names_the_date_the_subject_and_the_focus(app, launched) -> None:
    _, _, links = launched
    rater = app.test_client()
    home = rater.get(links["peer1@example.test"]).get_data(as_text=True)
    assert "Alice Example" in home and "Carl Coder" in home
    from tests.helpers_plans import invitation_url

    page = rater.get(invitation_url(rater, links["peer1@example.test"], "Alice Example"))
    text = page.get_data(as_text=True)
    assert "has Alice Example become more or less effective at results?" in text
    assert "Much more effective" in text and "Don&#39;t know" in text


def test_two_answers_with_k_3_show_no_figure_anywhere(app, runner, launched) -> None:
    team, pulse_id, links = launched
    for email, value in (("peer1@example.test", "2"), ("peer2@example.test", "1")):
        response = answer_pulse(
            app.test_client(),
            links[email],
            "Alice Example",
            {RESULTS: value, EXPERTISE: "1"},
            "Better demos",
        )
        assert response.status_code == 303
    close(runner, pulse_id)
    assert report(runner, pulse_id) == {
        "pulse": {"id": pulse_id, "campaign_id": team.campaign_id, "status": "closed"},
        "responses": 2,
        "shown": False,
        "focus": [],
        "comments": [],
    }
    page = signed_in(app, "alice@example.test").get(f"/plans/{team.alice}").get_data(as_text=True)
    assert "Fewer than 3 people answered" in page and "Better demos" not in page
    with app.app_context():
        make_hr_user()
        db.session.commit()
        hr_id = db.session.scalar(db.select(User.id).filter_by(email="hr@example.test"))
    hr = app.test_client()
    sign_in(hr, hr_id)
    hr_page = hr.get(f"/admin/pulses/{pulse_id}").get_data(as_text=True)
    assert "2 of 4 answered" in hr_page and "nothing is shown" in hr_page
    assert "+1.50" not in hr_page and "Better demos" not in hr_page


def test_three_answers_show_the_pooled_score_and_thin_items_stay_hidden(
    app, runner, launched
) -> None:
    team, pulse_id, links = launched
    given = {
        "peer1@example.test": ("2", "1"),
        "peer2@example.test": ("1", "na"),
        "peer3@example.test": ("0", "1"),
    }
    for email, (results, expertise) in given.items():
        answer_pulse(
            app.test_client(),
            links[email],
            "Alice Example",
            {RESULTS: results, EXPERTISE: expertise},
            f"note from {email[:5]}",
        )
    close(runner, pulse_id)
    document = report(runner, pulse_id)
    # results (2 + 1 + 0) / 3 = 1.00; expertise has 2 numeric answers (< k): absent
    assert document["focus"] == [{"key": RESULTS, "text": "Results", "score": 1.0, "n": 3, "na": 0}]
    assert document["comments"] == ["note from peer1", "note from peer2", "note from peer3"]
    page = signed_in(app, "alice@example.test").get(f"/plans/{team.alice}").get_data(as_text=True)
    assert "<strong>+1.00</strong>" in page and "n=3" in page
    assert "not shown: fewer than 3 answers" in page


def test_four_answers_pool_everyone_but_self_by_hand(app, runner, launched) -> None:
    _, pulse_id, links = launched
    given = {
        "peer1@example.test": ("2", "1"),
        "peer2@example.test": ("1", "na"),
        "peer3@example.test": ("0", "1"),
        "bob@example.test": ("-1", "2"),
    }
    for email, (results, expertise) in given.items():
        answer_pulse(
            app.test_client(),
            links[email],
            "Alice Example",
            {RESULTS: results, EXPERTISE: expertise},
        )
    close(runner, pulse_id)
    # results (2 + 1 + 0 − 1) / 4 = 0.50; expertise (1 + 1 + 2) / 3 = 1.333… → 1.33, 1 "na"
    assert report(runner, pulse_id)["focus"] == [
        {"key": RESULTS, "text": "Results", "score": 0.5, "n": 4, "na": 0},
        {
            "key": EXPERTISE,
            "text": report(runner, pulse_id)["focus"][1]["text"],
            "score": 1.33,
            "n": 3,
            "na": 1,
        },
    ]


def test_a_second_submit_stores_nothing_and_says_already_submitted(app, launched) -> None:
    _, _, links = launched
    rater = app.test_client()
    link = links["peer1@example.test"]
    from tests.helpers_campaigns import csrf_token
    from tests.helpers_plans import invitation_url

    url = invitation_url(rater, link, "Alice Example")
    data = {"csrf_token": csrf_token(rater.get(url)), RESULTS: "1", "action": "submit"}
    assert rater.post(url, data=data).status_code == 303
    replay = rater.post(url, data=data)
    assert replay.status_code == 409 and "Already submitted" in replay.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(PulseResponse.id))) == 1


def test_a_draft_is_kept_and_never_counts(app, runner, launched) -> None:
    _, pulse_id, links = launched
    rater = app.test_client()
    link = links["peer1@example.test"]
    saved = answer_pulse(rater, link, "Alice Example", {RESULTS: "-1"}, "half done", action="save")
    assert saved.status_code == 303
    from tests.helpers_plans import invitation_url

    page = rater.get(invitation_url(rater, link, "Alice Example")).get_data(as_text=True)
    assert 'value="-1" checked' in page and "half done" in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(PulseResponse.id))) == 0
    close(runner, pulse_id)
    with app.app_context():  # closing deletes drafts never submitted
        assert db.session.scalar(db.select(db.func.count(PulseDraft.invitation_id))) == 0
    assert rater.get(link).status_code == 404  # a closed pulse's link is not active


def test_pulse_answers_carry_no_rater_invitation_token_or_time() -> None:
    columns = {
        table.__tablename__: set(table.__table__.columns.keys())
        for table in (PulseResponse, PulseAnswer, PulseComment)
    }
    assert columns == {
        "pulse_response": {"id", "pulse_subject_id"},
        "pulse_answer": {"response_id", "focus", "value"},
        "pulse_comment": {"response_id", "text"},
    }


def test_unknown_links_look_like_used_ones(app, launched) -> None:
    _, _, links = launched
    stranger = app.test_client()
    unknown = stranger.get("/p/" + "x" * 32)
    assert unknown.status_code == 404
    assert stranger.get(links["peer1@example.test"] + "/999999").status_code == 404


def test_results_wait_for_close_and_the_subject_is_told(app, runner, launched, outbox) -> None:
    _, pulse_id, _ = launched
    early = runner.invoke(
        args=["pulse", "report", str(pulse_id), "--subject", "alice@example.test"]
    )
    assert early.exit_code == 1 and "results are shown once it is closed" in early.output
    close(runner, pulse_id)
    (mail,) = [m for m in mails_to(outbox, "alice@example.test") if "pulse" in str(m["Subject"])]
    assert "/link/" in text_of(mail)
    assert len(read_outbox(outbox)) >= 6


def counts(app: Flask) -> dict[str, int]:
    from survey.models_plans import DevelopmentPlan, PulseRater, PulseSubject

    with app.app_context():
        return {
            table.__tablename__: db.session.scalar(db.select(db.func.count()).select_from(table))
            for table in (DevelopmentPlan, PulseSubject, PulseRater, PulseResponse)
        }


def test_erasing_a_subject_deletes_their_plan_and_the_pulses_about_them(app, launched) -> None:
    from survey.services.erasure import erase_person

    _, _, links = launched
    answer_pulse(app.test_client(), links["peer1@example.test"], "Alice Example", {RESULTS: "1"})
    answer_pulse(
        app.test_client(), links["peer1@example.test"], "Carl Coder", {"area:culture": "2"}
    )
    assert counts(app) == {
        "development_plan": 2,
        "pulse_subject": 2,
        "pulse_rater": 4,
        "pulse_response": 2,
    }
    with app.app_context():
        erase_person("alice@example.test", actor="hr@example.test", now=utcnow())
        db.session.commit()
    # Carl's plan, pulse and the answer about him stay; Alice's go, with the answer about her
    assert counts(app) == {
        "development_plan": 1,
        "pulse_subject": 1,
        "pulse_rater": 4,
        "pulse_response": 1,
    }
    with app.app_context():
        assert tables_mentioning(app, "alice@example.test", "Alice Example") == {}


def test_erasing_a_pulse_rater_keeps_their_unlinked_answers(app, launched) -> None:
    from survey.services.erasure import erase_person

    _, _, links = launched
    answer_pulse(app.test_client(), links["peer1@example.test"], "Alice Example", {RESULTS: "1"})
    with app.app_context():
        erase_person("peer1@example.test", actor="hr@example.test", now=utcnow())
        db.session.commit()
    assert counts(app)["pulse_rater"] == 3 and counts(app)["pulse_response"] == 1
    assert tables_mentioning(app, "peer1@example.test", "Peer 1") == {}
    assert app.test_client().get(links["peer1@example.test"]).status_code == 404


def test_retention_deletes_plans_and_pulses_with_their_campaign(app, runner, launched) -> None:
    from datetime import timedelta

    from survey.services.retention import RetentionSettings, apply_retention

    team, pulse_id, links = launched
    answer_pulse(app.test_client(), links["bob@example.test"], "Alice Example", {RESULTS: "-1"})
    close(runner, pulse_id)
    with app.app_context():
        settings = RetentionSettings(12, timedelta(days=30))
        result = apply_retention(
            settings, utcnow() + timedelta(days=800), actor="survey tick", skip_warning=True
        )
        db.session.commit()
        assert result.deleted == [(team.campaign_id, "Autumn 360")]
    assert counts(app) == {
        "development_plan": 0,
        "pulse_subject": 0,
        "pulse_rater": 0,
        "pulse_response": 0,
    }


def test_reminders_list_only_what_is_open_and_wait_for_the_interval(
    app, runner, launched, outbox: Path
) -> None:
    _, pulse_id, links = launched
    answer_pulse(app.test_client(), links["peer1@example.test"], "Alice Example", {RESULTS: "1"})
    answer_pulse(app.test_client(), links["peer2@example.test"], "Alice Example", {RESULTS: "1"})
    answer_pulse(
        app.test_client(), links["peer2@example.test"], "Carl Coder", {"area:culture": "1"}
    )
    before = set(outbox.glob("*.eml"))
    first = runner.invoke(args=["pulse", "remind", str(pulse_id)])
    assert first.output.strip() == f"pulse {pulse_id}: 3 reminder(s) sent"  # peer2 is done
    fresh = [m for m in read_outbox(outbox) if "Reminder" in str(m["Subject"])]
    peer1 = [m for m in fresh if "peer1@" in str(m["To"])]
    assert len(peer1) == 1
    assert "Carl Coder" in text_of(peer1[0]) and "Alice Example" not in text_of(peer1[0])
    assert len(set(outbox.glob("*.eml")) - before) == 3
    # the first link still works beside the reminder's
    assert app.test_client().get(links["peer1@example.test"]).status_code == 200
    again = runner.invoke(args=["pulse", "remind", str(pulse_id)])
    assert again.output.strip() == f"pulse {pulse_id}: 0 reminder(s) sent"


def test_bad_pulse_links_share_the_rater_links_limit(app: Flask) -> None:
    client = app.test_client()
    limit = int(str(app.config["RATE_BAD_LINK_LIMIT"]).split("/")[0])
    for attempt in range(limit):
        assert client.get(f"/p/{'x' * 30}{attempt:02d}").status_code == 404
    assert client.get("/p/" + "y" * 32).status_code == 429
    assert client.get("/r/" + "y" * 32).status_code == 429  # one limit for every rater link


def test_launch_refuses_with_a_one_line_reason(app, runner) -> None:
    with app.app_context():
        team = released_team()
    launch = ["pulse", "launch", str(team.campaign_id), "--deadline", "2099-01-31",
              "--timezone", "Europe/Paris"]  # fmt: skip
    nobody = runner.invoke(args=launch)
    assert nobody.exit_code == 1
    assert "no subject of campaign 1 has a development plan yet" in nobody.output
    carl = runner.invoke(args=[*launch, "--subject", "carl@example.test"])
    assert "carl@example.test is not a subject of campaign 1 with a plan" in carl.output
    past = runner.invoke(args=[*launch[:3], "--deadline", "2001-01-01", "--timezone", "UTC"])
    assert past.exit_code == 1 and "has already passed" in past.output
    assert "Traceback" not in nobody.output + carl.output + past.output


def test_tick_closes_a_pulse_past_its_deadline_once(app, runner, launched, outbox) -> None:
    _, pulse_id, _ = launched
    early = runner.invoke(args=["tick", "--now", "2099-01-31T20:00Z"])  # 21:00 in Paris
    assert f"pulse {pulse_id} closed" not in early.output
    late = runner.invoke(args=["tick", "--now", "2099-01-31T23:00Z"])
    assert f"pulse {pulse_id} closed: its deadline has passed" in late.output
    again = runner.invoke(args=["tick", "--now", "2099-02-01T23:00Z"])
    assert f"pulse {pulse_id}" not in again.output
    told = [m for m in mails_to(outbox, "alice@example.test") if "pulse" in str(m["Subject"])]
    assert len(told) == 1


def test_closing_rewrites_every_pulse_response_and_keeps_the_results(app, runner, launched) -> None:
    _, pulse_id, links = launched
    for email in ("peer1@example.test", "peer2@example.test", "peer3@example.test"):
        answer_pulse(app.test_client(), links[email], "Alice Example", {RESULTS: "1"}, "ok")
    with app.app_context():
        before = set(db.session.scalars(db.select(PulseResponse.id)))
    close(runner, pulse_id)
    with app.app_context():
        after = set(db.session.scalars(db.select(PulseResponse.id)))
        assert db.session.scalar(db.select(db.func.count()).select_from(PulseAnswer)) == 3
    assert len(after) == 3 and not before & after
    assert report(runner, pulse_id)["focus"][0] | {"text": ""} == {
        "key": RESULTS,
        "text": "",
        "score": 1.0,
        "n": 3,
        "na": 0,
    }
    assert report(runner, pulse_id)["comments"] == ["ok", "ok", "ok"]
