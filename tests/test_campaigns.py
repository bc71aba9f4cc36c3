"""Campaign set-up, launch, reminders, close and release through the services (SPEC §4, §5)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from survey.errors import InvalidState, NotFound
from survey.extensions import db
from survey.mail import send_mails
from survey.models import (
    CampaignStatus,
    Invitation,
    InvitationStatus,
    LoginToken,
    Person,
    Rater,
    User,
)
from survey.services import campaigns as service
from survey.services.progress import campaign_progress, launch_warnings, next_action
from survey.tokens import hash_token
from tests.factories import NOW
from tests.helpers_campaigns import FUTURE, link_token, make_draft, make_org, read_outbox, text_of

DAY = timedelta(days=1)
INTERVAL = timedelta(hours=72)


@pytest.fixture
def ctx(app: Flask):  # type: ignore[no-untyped-def]
    with app.app_context():
        make_org()
        yield app


def person(email: str) -> Person:
    found = db.session.scalar(select(Person).filter_by(email=email))
    assert found is not None
    return found


def groups_of(campaign_id: int, subject_email: str) -> dict[str, list[str]]:
    campaign = service.get_campaign(campaign_id)
    subject = next(s for s in campaign.subjects if s.person.email == subject_email)
    result: dict[str, list[str]] = {}
    for invitation, rater in service.subject_invitations(subject):
        result.setdefault(invitation.rater_group, []).append(rater.email)
    return result


def launch(campaign_id: int) -> service.LaunchResult:
    result = service.launch_campaign(service.get_campaign(campaign_id), NOW)
    db.session.commit()
    send_mails(result.mails)
    return result


def test_create_adds_subjects_with_default_raters(ctx: Flask) -> None:
    campaign_id = make_draft(levels=("team_leader",))
    campaign = service.get_campaign(campaign_id)
    assert campaign.status is CampaignStatus.DRAFT
    assert [s.name for s in campaign.subjects] == ["Tina Lead", "Tom Lead", "Tara Lead"]
    assert groups_of(campaign_id, "tl1@acme.test") == {
        "direct_reports": ["ic1@acme.test", "ic3@acme.test", "ic2@acme.test"],
        "manager": ["ceo@acme.test"],
        "peers": ["tl2@acme.test"],
        "self": ["tl1@acme.test"],
    }
    # Tara's only sibling is nobody; topped up from TLs under her grand-boss (the CEO's tree)
    assert groups_of(campaign_id, "tl3@acme.test")["peers"] == ["tl1@acme.test", "tl2@acme.test"]


def test_create_checks_settings_and_emails(ctx: Flask) -> None:
    with pytest.raises(service.CampaignError, match="at least 2"):
        service.create_campaign(service.CampaignSettings("X", FUTURE, "UTC", min_raters=1), now=NOW)
    with pytest.raises(service.SurveyError, match="unknown time zone"):
        service.create_campaign(service.CampaignSettings("X", FUTURE, "Mars/Base"), now=NOW)
    with pytest.raises(service.SurveyError, match="already passed"):
        service.create_campaign(service.CampaignSettings("X", date(2020, 1, 1), "UTC"), now=NOW)
    with pytest.raises(NotFound, match="not in the org chart: nobody@acme.test"):
        service.create_campaign(
            service.CampaignSettings("X", FUTURE, "UTC"),
            service.SubjectChoice(emails=["nobody@acme.test"]),
            now=NOW,
        )


def test_deadline_closes_at_end_of_day_in_zone(ctx: Flask) -> None:
    campaign = service.create_campaign(
        service.CampaignSettings("X", date(2027, 3, 31), "Europe/Paris"), now=NOW
    )
    assert campaign.closes_at.isoformat() == "2027-03-31T22:00:00+00:00"


def test_next_level_subjects_and_edit_while_draft(ctx: Flask) -> None:
    campaign = service.create_campaign(
        service.CampaignSettings("X", FUTURE, "UTC"),
        service.SubjectChoice(emails=["ic1@acme.test"], next_level=["ic2@acme.test"]),
        now=NOW,
    )
    assert {(s.person.email, s.include_next_level) for s in campaign.subjects} == {
        ("ic1@acme.test", False),
        ("ic2@acme.test", True),
    }
    service.update_campaign(
        campaign, service.CampaignSettings("Renamed", FUTURE, "Asia/Tokyo", 4), now=NOW
    )
    assert (campaign.name, campaign.timezone, campaign.min_raters) == ("Renamed", "Asia/Tokyo", 4)


def test_hr_adds_and_removes_raters_before_launch(ctx: Flask) -> None:
    campaign_id = make_draft(levels=(), emails=("tl2@acme.test",))
    campaign = service.get_campaign(campaign_id)
    subject = campaign.subjects[0]
    added = service.add_rater(campaign, subject.id, "IC5@acme.test", "peers")
    assert added.added_by_hr
    with pytest.raises(service.CampaignError, match="already rates Tom Lead"):
        service.add_rater(campaign, subject.id, "ic5@acme.test", "direct_reports")
    with pytest.raises(service.CampaignError, match="only rate themself as 'self'"):
        service.add_rater(campaign, subject.id, "tl2@acme.test", "peers")
    service.remove_invitation(campaign, added.id)
    db.session.commit()
    assert "ic5@acme.test" not in str(groups_of(campaign_id, "tl2@acme.test"))
    # the rater row went with their last invitation
    assert (
        db.session.scalar(
            select(func.count(Rater.id)).where(Rater.person_id == person("ic5@acme.test").id)
        )
        == 0
    )


def test_warnings_for_groups_below_k(ctx: Flask) -> None:
    campaign = service.get_campaign(make_draft(levels=("team_leader",)))
    warnings = launch_warnings(campaign, campaign_progress(campaign))
    assert (
        "Tom Lead: 1 direct report (Isa Four), below k = 3; their answers will be merged "
        "with other small groups or not shown." in warnings
    )
    assert (
        "Tina Lead: 1 peer (Tom Lead), below k = 3; their answers will be merged with other "
        "small groups or not shown." in warnings
    )
    assert not any(w.startswith("Tina Lead: 3 direct") for w in warnings)


def test_launch_sends_one_mail_per_rater_with_working_link(ctx: Flask, outbox: Path) -> None:
    campaign_id = make_draft(levels=("team_leader",))
    result = launch(campaign_id)
    campaign = service.get_campaign(campaign_id)
    raters = db.session.scalars(select(Rater).where(Rater.campaign_id == campaign_id)).all()
    messages = read_outbox(outbox)
    assert (result.raters, result.invitations) == (len(raters), 15)
    assert len(messages) == len(raters) == 10
    assert sorted(m["To"] for m in messages) == sorted(r.person.email for r in raters)
    hashes = {r.person.email: r.token_hash for r in raters}
    for message in messages:
        assert hash_token(link_token(message)) == hashes[message["To"]]
    assert campaign.status is CampaignStatus.OPEN
    assert campaign.questionnaire_snapshot is not None


def test_mail_lists_every_subject_of_the_rater_and_the_deadline(ctx: Flask, outbox: Path) -> None:
    launch(make_draft(levels=("team_leader",)))
    tina = next(m for m in read_outbox(outbox) if m["To"] == "tl1@acme.test")
    text = text_of(tina)
    assert "  - Tina Lead (your self-assessment)\n" in text
    assert "  - Tara Lead (as a peer)\n" in text
    assert "  - Tom Lead (as a peer)\n" in text
    assert "Please answer by Tuesday 31 March 2099, 23:59 (Europe/Paris)." in text


def test_second_launch_changes_nothing(ctx: Flask, outbox: Path) -> None:
    campaign_id = make_draft()
    launch(campaign_id)
    before = {r.id: r.token_hash for r in db.session.scalars(select(Rater))}
    again = launch(campaign_id)
    assert again.already_open and not again.mails
    assert {r.id: r.token_hash for r in db.session.scalars(select(Rater))} == before
    assert len(read_outbox(outbox)) == 10


def test_launch_needs_raters_and_a_future_deadline(ctx: Flask) -> None:
    empty = service.create_campaign(service.CampaignSettings("E", FUTURE, "UTC"), now=NOW)
    with pytest.raises(InvalidState, match="no subjects"):
        service.launch_campaign(empty, NOW)
    campaign = service.get_campaign(make_draft())
    with pytest.raises(InvalidState, match="deadline has passed"):
        service.launch_campaign(campaign, campaign.closes_at)


def set_status(campaign_id: int, email: str, status: InvitationStatus) -> None:
    rater_person = person(email)
    for invitation in db.session.scalars(
        select(Invitation)
        .join(Rater)
        .where(Invitation.campaign_id == campaign_id, Rater.person_id == rater_person.id)
    ):
        invitation.status = status
    db.session.commit()


def test_remind_only_open_invitations_once_per_interval(ctx: Flask, outbox: Path) -> None:
    campaign_id = make_draft()
    launch(campaign_id)
    for path in outbox.glob("*.eml"):
        path.unlink()
    set_status(campaign_id, "ic1@acme.test", InvitationStatus.SUBMITTED)
    set_status(campaign_id, "ic2@acme.test", InvitationStatus.DECLINED)
    # Tina rates herself (submitted) and two peers (still open)
    tina_self = db.session.scalar(
        select(Invitation)
        .join(Rater)
        .where(Rater.person_id == person("tl1@acme.test").id, Invitation.rater_group == "self")
    )
    assert tina_self is not None
    tina_self.status = InvitationStatus.SUBMITTED
    db.session.commit()

    campaign = service.get_campaign(campaign_id)
    first = service.remind_campaign(campaign, NOW + DAY, INTERVAL)
    db.session.commit()
    send_mails(first.mails)
    reminded = {m["To"]: text_of(m) for m in read_outbox(outbox)}
    assert "ic1@acme.test" not in reminded and "ic2@acme.test" not in reminded
    assert len(reminded) == 8
    assert "Tina Lead (your self-assessment)" not in reminded["tl1@acme.test"]
    assert "  - Tom Lead (as a peer)\n" in reminded["tl1@acme.test"]
    # the reminder's link is the rater's link now
    tina = db.session.scalar(select(Rater).where(Rater.person_id == person("tl1@acme.test").id))
    assert tina is not None
    tina_mail = next(m for m in read_outbox(outbox) if m["To"] == "tl1@acme.test")
    assert hash_token(link_token(tina_mail)) == tina.token_hash

    second = service.remind_campaign(service.get_campaign(campaign_id), NOW + DAY, INTERVAL)
    assert (second.reminded, second.skipped, list(second.mails)) == (0, 8, [])
    later = service.remind_campaign(service.get_campaign(campaign_id), NOW + 4 * DAY, INTERVAL)
    assert later.reminded == 8


def test_close_and_release_guarded(ctx: Flask, outbox: Path) -> None:
    campaign_id = make_draft()
    campaign = service.get_campaign(campaign_id)
    assert next_action(campaign, NOW) == "launch"
    with pytest.raises(InvalidState, match="only an open campaign can be closed"):
        service.close_campaign(campaign, NOW)
    launch(campaign_id)
    campaign = service.get_campaign(campaign_id)
    assert next_action(campaign, NOW) == "remind"
    assert next_action(campaign, campaign.closes_at) == "close"
    with pytest.raises(InvalidState):
        service.release_campaign(campaign, NOW)
    service.close_campaign(campaign, NOW)
    with pytest.raises(InvalidState, match="not accepting answers"):
        service.remind_campaign(campaign, NOW, INTERVAL)
    assert next_action(campaign, NOW) == "release"
    mails = service.release_campaign(campaign, NOW)
    db.session.commit()
    assert sorted(m.to for m in mails) == ["tl1@acme.test", "tl2@acme.test", "tl3@acme.test"]
    users = db.session.scalars(select(User).order_by(User.email)).all()
    assert [(u.email, u.role.value) for u in users] == [
        ("tl1@acme.test", "subject"),
        ("tl2@acme.test", "subject"),
        ("tl3@acme.test", "subject"),
    ]
    assert db.session.scalar(select(func.count(LoginToken.id))) == 3
    assert "/link/" in mails[0].text
    assert next_action(campaign, NOW) is None
    with pytest.raises(InvalidState):
        service.launch_campaign(campaign, NOW)


def test_set_up_is_frozen_after_launch(ctx: Flask) -> None:
    campaign_id = make_draft()
    launch(campaign_id)
    campaign = service.get_campaign(campaign_id)
    with pytest.raises(InvalidState, match="only a draft can be changed"):
        service.add_subjects(campaign, service.SubjectChoice(emails=["ic1@acme.test"]))
    with pytest.raises(InvalidState, match="only a draft can be edited"):
        service.update_campaign(campaign, service.CampaignSettings("Y", FUTURE, "UTC"), now=NOW)


def test_progress_counts_per_subject_and_group(ctx: Flask) -> None:
    campaign_id = make_draft()
    launch(campaign_id)
    set_status(campaign_id, "ic1@acme.test", InvitationStatus.SUBMITTED)
    set_status(campaign_id, "ic2@acme.test", InvitationStatus.DECLINED)
    progress = campaign_progress(service.get_campaign(campaign_id))
    tina = next(s for s in progress.subjects if s.name == "Tina Lead")
    reports = tina.groups["direct_reports"]
    assert (reports.invited, reports.submitted, reports.declined, reports.waiting) == (3, 1, 1, 1)
    assert reports.rate == pytest.approx(1 / 3)
    assert ("Ike Three", "direct_reports") in tina.not_answered
    assert ("Ian One", "direct_reports") not in tina.not_answered
    assert (progress.total.invited, progress.total.submitted) == (15, 1)
