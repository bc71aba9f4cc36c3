"""The demo scenario: import an organisation, run a campaign to release, keep one open.

Everything goes through the product's own services (import, campaign set-up, launch, close,
release) and raters answer through the real pages, so the demo shows the product as it is.
"""

from __future__ import annotations

import random
import secrets
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask, current_app
from flask_migrate import upgrade
from sqlalchemy import func, select

from survey import create_app
from survey.database import purge_deleted_rows
from survey.demo.answers import Profile, make_profile
from survey.demo.browser import Browser
from survey.demo.files import outbox_of
from survey.demo.followup import earlier_round, plan_and_pulse
from survey.demo.raters import (
    Assignment,
    CommentsUsed,
    SimulatedRater,
    Tally,
    rater_links,
)
from survey.domain.questionnaire import default_content
from survey.extensions import db
from survey.mail import send_mails
from survey.models import Campaign, Invitation, InvitationStatus, Person, Rater, Subject
from survey.services import accounts, campaigns, lifecycle, orgchart

HR_EMAIL = "hr@example.test"
Say = Callable[[str], None]


@dataclass
class DemoResult:
    """Where to go once the demo data is in place."""

    base_url: str
    hr_email: str
    hr_password: str
    manager_name: str = ""
    manager_link: str = ""
    rater_name: str = ""
    rater_subject: str = ""
    rater_link: str = ""
    released_campaign: int = 0
    open_campaign: int = 0
    tallies: dict[str, Tally] = field(default_factory=dict)


def build_demo_app(database: Path, secret_key: str, base_url: str) -> Flask:
    """An app on the SQLite file `database`, e-mailing to the outbox folder beside it.

    Links in e-mails point at `base_url`; sign-in links last a day. Touches no file until used.
    """
    return create_app(
        {
            "SECRET_KEY": secret_key,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "MAIL_BACKEND": "file",
            "MAIL_OUTBOX": str(outbox_of(database)),
            "BASE_URL": base_url,
            "REDIS_URL": None,
            "SIGN_IN_LINK_MINUTES": 24 * 60,
            "MIGRATIONS_QUIET": True,  # no Alembic INFO lines in the demo's output
        }
    )


def run_scenario(app: Flask, org_csv: bytes, say: Say, seed: int = 360) -> DemoResult:
    """Build the whole demo in `app`'s empty database; raters answer through its pages."""
    rng = random.Random(seed)
    base_url = str(app.config["BASE_URL"])
    outbox = Path(app.config["MAIL_OUTBOX"])
    result = DemoResult(base_url, HR_EMAIL, _password(rng))
    with app.app_context():
        upgrade()
        say(f"Importing the organisation: {orgchart.import_people(org_csv)}")
        accounts.create_hr_user(HR_EMAIL, result.hr_password)
        db.session.commit()
        released = _released_campaign(rng, outbox, say, result)
        result.released_campaign = released
        result.open_campaign = _open_campaign(rng, outbox, say, result)
        _pick_links(released, outbox, result)
    return result


def _released_campaign(rng: random.Random, outbox: Path, say: Say, result: DemoResult) -> int:
    aspiring = _aspiring_ic()
    choice = campaigns.SubjectChoice(
        levels=("team_leader", "business_leader"),
        emails=(aspiring.email,),
        next_level=(aspiring.email,),
    )
    campaign = campaigns.create_campaign(
        _settings("Leadership 360 (demo)", days=14), choice, now=_now()
    )
    db.session.commit()
    say(f"Campaign {campaign.id}: {len(campaign.subjects)} subjects (team and business "
        f"leaders, and {aspiring.name} with the next-level readiness section)")
    _launch(campaign, say)
    holdout = _holdout_rater(campaign)
    result.tallies["released"] = _answer(campaign, outbox, rng, say, skip={holdout})
    # last year's round closes before this one, so this one's reports show the change since
    earlier_round(choice, random.Random(rng.randrange(1 << 30)), say)
    lifecycle.close_campaign(campaign, _now())
    db.session.commit()
    purge_deleted_rows()
    mails = lifecycle.release_campaign(campaign, _now())
    db.session.commit()
    send_mails(mails)
    say(f"Campaign {campaign.id} closed and released; {len(mails)} managers told their "
        "report is ready")
    plan_and_pulse(_fullest_subject(campaign.id), random.Random(rng.randrange(1 << 30)), say)
    return campaign.id


def _open_campaign(rng: random.Random, outbox: Path, say: Say, result: DemoResult) -> int:
    subject = _busiest_team_leader()
    campaign = campaigns.create_campaign(
        _settings("Team leader pulse", days=21),
        campaigns.SubjectChoice(emails=(subject.email,)),
        now=_now(),
    )
    db.session.commit()
    before = set(outbox.glob("*.eml"))
    _launch(campaign, say)
    links = rater_links_in(outbox, before)
    holdout_email = _first_rater_email(campaign, "direct_reports")
    result.rater_link = base(result) + links[holdout_email]
    result.rater_name = _name_of(holdout_email)
    result.rater_subject = subject.name
    result.tallies["open"] = _answer(
        campaign, outbox, rng, say, skip={holdout_email}, links=links, share=0.5
    )
    return campaign.id


def base(result: DemoResult) -> str:
    return result.base_url.rstrip("/")


def rater_links_in(outbox: Path, before: set[Path]) -> dict[str, str]:
    """Rater links from e-mails written after `before` was taken."""
    fresh = outbox / "_fresh"
    fresh.mkdir(exist_ok=True)
    for path in set(outbox.glob("*.eml")) - before:
        shutil.copy(path, fresh / path.name)
    links = rater_links(fresh)
    shutil.rmtree(fresh)
    return links


def _launch(campaign: Campaign, say: Say) -> None:
    launched = lifecycle.launch_campaign(campaign, _now())
    db.session.commit()
    send_mails(launched.mails)
    say(f"Campaign {campaign.id} {launched}")


def _answer(
    campaign: Campaign,
    outbox: Path,
    rng: random.Random,
    say: Say,
    skip: set[str],
    links: dict[str, str] | None = None,
    share: float = 1.0,
) -> Tally:
    links = links if links is not None else rater_links(outbox)
    raters = _campaign_rater_emails(campaign)
    chosen = [e for e in sorted(raters) if e in links and e not in skip]
    chosen = chosen[: max(1, int(len(chosen) * share))]
    assignments = _assignments(campaign)
    profiles: dict[int, Profile] = {}
    areas = [area.key for area in default_content().areas]
    for key in sorted({a.subject_key for a in assignments.values()}):
        profiles[key] = make_profile(rng, areas)
    area_of = _item_areas()
    tally = Tally(untouched=len(raters) - len(chosen))
    say(f"  {len(chosen)} of {_raters(len(raters))} open their e-mailed link and answer")
    behaviours = [_behaviour(rng) for _ in chosen]
    seeds = [rng.randrange(1 << 30) for _ in chosen]
    # made here, in the app context: each one keeps its own client (cookies) for its thread
    browsers = [Browser(current_app, str(current_app.config["BASE_URL"])) for _ in chosen]
    comments_used = CommentsUsed()

    def work(index: int) -> None:
        rater = SimulatedRater(
            browser=browsers[index], link=links[chosen[index]], rng=random.Random(seeds[index]),
            assignment_of=assignments.__getitem__, profile_of=profiles.__getitem__,
            area_of=area_of, comments_used=comments_used,
        )
        rater.work(tally, behaviours[index])

    with ThreadPoolExecutor(max_workers=4) as pool:
        for done, _ in enumerate(pool.map(work, range(len(chosen))), start=1):
            if done % 10 == 0 or done == len(chosen):
                say(f"  raters answering: {done}/{len(chosen)}")
    if tally.problems:
        raise RuntimeError("simulated raters hit problems: " + "; ".join(tally.problems[:5]))
    say(f"  {tally.submitted} questionnaires submitted, {tally.drafts} left as drafts, "
        f"{tally.declined} declined; {_raters(tally.untouched)} did not start")
    return tally


def _raters(count: int) -> str:
    return f"{count} rater" if count == 1 else f"{count} raters"


def _behaviour(rng: random.Random) -> str:
    roll = rng.random()
    return "decline" if roll < 0.04 else "draft" if roll < 0.08 else "submit"


def _settings(name: str, days: int) -> campaigns.CampaignSettings:
    deadline = (_now() + timedelta(days=days)).date()
    return campaigns.CampaignSettings(name, deadline, "Europe/Helsinki", 3, 5)


def _now() -> datetime:
    return datetime.now(UTC)


def _password(rng: random.Random) -> str:
    return "demo-" + secrets.token_urlsafe(9)


def _aspiring_ic() -> Person:
    """The individual contributor with the most colleagues in their team (first by e-mail)."""
    people = db.session.scalars(
        select(Person).where(Person.level == "individual_contributor").order_by(Person.email)
    ).all()
    return max(people, key=lambda p: len(p.manager.reports) if p.manager else 0)


def _busiest_team_leader() -> Person:
    leaders = db.session.scalars(
        select(Person).where(Person.level == "team_leader").order_by(Person.email)
    ).all()
    return max(leaders, key=lambda p: len(p.reports))


def _holdout_rater(campaign: Campaign) -> str:
    """A peer who will never answer (their invitation stays open in the released campaign)."""
    return _first_rater_email(campaign, "peers")


def _campaign_rater_emails(campaign: Campaign) -> set[str]:
    query = select(Person.email).join(Rater, Rater.person_id == Person.id)
    return set(db.session.scalars(query.where(Rater.campaign_id == campaign.id)))


def _first_rater_email(campaign: Campaign, group: str) -> str:
    """The first rater (by e-mail) invited in `group`, or "" when there is none."""
    query = (
        select(Person.email)
        .join(Rater, Rater.person_id == Person.id)
        .join(Invitation, Invitation.rater_id == Rater.id)
        .where(Invitation.campaign_id == campaign.id, Invitation.rater_group == group)
        .order_by(Person.email)
    )
    return db.session.scalars(query).first() or ""


def _assignments(campaign: Campaign) -> dict[int, Assignment]:
    rows = db.session.execute(
        select(Invitation.id, Invitation.subject_id, Invitation.rater_group, Subject.level)
        .join(Subject, Subject.id == Invitation.subject_id)
        .where(Invitation.campaign_id == campaign.id)
    )
    return {row[0]: Assignment(row[0], row[1], row[2], row[3]) for row in rows}


def _item_areas() -> dict[str, str]:
    return {
        item.key: item.area
        for level in default_content().levels
        for responsibility in level.responsibilities
        for item in responsibility.items
    }


def _name_of(address: str) -> str:
    return str(db.session.scalar(select(Person.name).where(Person.email == address)))


def _pick_links(campaign_id: int, outbox: Path, result: DemoResult) -> None:
    """The manager whose released report shows the most groups, and a fresh sign-in link."""
    subject = _fullest_subject(campaign_id)
    user = accounts.find_user(subject.person.email)
    if user is None:
        return
    token = accounts.issue_link_token(user, "sign_in", _now())
    db.session.commit()
    result.manager_name = subject.name
    result.manager_link = accounts.link_url(token)


def _fullest_subject(campaign_id: int) -> Subject:
    """A team leader with the most submitted peers and direct reports together."""
    counts = db.session.execute(
        select(Invitation.subject_id, func.count())
        .join(Subject, Subject.id == Invitation.subject_id)
        .where(
            Invitation.campaign_id == campaign_id,
            Invitation.status == InvitationStatus.SUBMITTED,
            Invitation.rater_group.in_(("peers", "direct_reports")),
            Subject.level == "team_leader",
        )
        .group_by(Invitation.subject_id)
        .order_by(func.count().desc(), Invitation.subject_id)
    ).first()
    subject_id = counts[0] if counts else None
    subject = db.session.get(Subject, subject_id) if subject_id else None
    if subject is None:
        query = select(Subject).where(Subject.campaign_id == campaign_id)
        subject = db.session.scalars(query).first()
    assert subject is not None
    return subject
