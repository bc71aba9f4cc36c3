"""The demo's follow-up: an earlier round for the same managers (so reports show the change
since then, SPEC §11), and one manager's development plan with a closed progress pulse (§12).

The earlier round is answered through the product's services rather than its pages, and sends
no e-mail: it stands for last year's campaign, and the demo stays quick.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from survey.demo.answers import choose_answer, make_profile
from survey.domain.questionnaire import default_content
from survey.extensions import db
from survey.mail import send_mails
from survey.models import Campaign, Invitation, Subject
from survey.models_plans import PulseInvitation, PulseSubject
from survey.services import campaigns, lifecycle, pulses, responses
from survey.services.plans import save_plan
from survey.services.pulse_answers import submit_pulse
from survey.services.questionnaires import questionnaire_for
from survey.services.reports import report_view

Say = Callable[[str], None]
ACTIONS = (
    "Experience: run the monthly priorities review myself and write down the three goals "
    "for the team.\nPeople: ask two peers for feedback after each review; monthly coaching "
    "with my manager.\nCourses: finish the internal course on delegation."
)

PULSE_COMMENTS = [
    "Priorities are much clearer in our team meetings now.",
    "The monthly review helps; decisions still take a while.",
    "More feedback than before, and it is specific.",
    "I have not seen much change yet in how work is shared.",
    "Good progress on the team's tools; keep it up.",
]


def earlier_round(choice: campaigns.SubjectChoice, rng: random.Random, say: Say) -> int:
    """Last year's campaign for the same subjects, answered, closed and released; no e-mail."""
    now = datetime.now(UTC)
    settings = campaigns.CampaignSettings(
        "Leadership 360 (last year)", (now + timedelta(days=14)).date(), "Europe/Helsinki", 3, 5
    )
    campaign = campaigns.create_campaign(settings, choice, now=now)
    db.session.commit()
    lifecycle.launch_campaign(campaign, now)  # its e-mails are not sent: last year's round
    db.session.commit()
    areas = [area.key for area in default_content().areas]
    profiles = {s.id: make_profile(rng, areas) for s in campaign.subjects}
    answered = 0
    for invitation in _invitations(campaign):
        if rng.random() < 0.1:  # some never answered
            continue
        profile = profiles[invitation.subject_id]
        questions = questionnaire_for(invitation.subject, invitation.rater_group)
        lean = rng.gauss(0, 0.3)
        values = {}
        for item in questions.items():
            # a little lower last year, on average: most managers show some progress
            raw = choose_answer(rng, profile, invitation.rater_group, item.area, lean - 0.3)
            values[item.key] = None if raw == "na" else int(raw)
        responses.submit_response(invitation, values, {}, now)
        answered += 1
    db.session.commit()
    lifecycle.close_campaign(campaign, now)
    db.session.commit()
    lifecycle.release_campaign(campaign, now)  # sign-in e-mails not sent either
    db.session.commit()
    say(f"Campaign {campaign.id} (last year): {answered} answers, closed and released")
    return campaign.id


def _invitations(campaign: Campaign) -> list[Invitation]:
    query = select(Invitation).where(Invitation.campaign_id == campaign.id)
    return list(db.session.scalars(query.order_by(Invitation.id)))


def plan_and_pulse(subject: Subject, rng: random.Random, say: Say) -> None:
    """`subject` writes a plan on their two weakest areas (shared with their manager); a pulse
    asks their raters about it, most answer, and it is closed so the plan page shows results."""
    now = datetime.now(UTC)
    report = report_view(subject, to_subject=True).report
    others = sorted(
        (c.score, c.area) for c in report.area_scores if c.group == "all_others"
    )
    focus = [f"area:{area}" for _, area in others[:2]]
    save_plan(
        subject, focus=focus, actions=ACTIONS, target_date=(now + timedelta(days=120)).date(),
        share_with_manager=True, now=now - timedelta(days=60),
    )
    db.session.commit()
    launch = pulses.launch_pulse(
        subject.campaign, deadline=(now + timedelta(days=14)).date(), zone="Europe/Helsinki",
        now=now, emails=[subject.person.email],
    )
    db.session.commit()
    send_mails(launch.mails)
    answered = 0
    comments = rng.sample(PULSE_COMMENTS, len(PULSE_COMMENTS))
    for invitation in _pulse_invitations(launch.pulse.id):
        if rng.random() < 0.15:
            continue
        keys = [f["key"] for f in invitation.pulse_subject.focus]
        values = {key: rng.choice((0, 1, 1, 1, 2, None)) for key in keys}
        comment = comments.pop() if comments and rng.random() < 0.5 else ""
        submit_pulse(invitation, values, comment, now)
        answered += 1
    db.session.commit()
    send_mails(pulses.close_pulse(launch.pulse, now))
    db.session.commit()
    say(f"{subject.name} wrote a development plan; its progress pulse got {answered} answers "
        "and is closed")


def _pulse_invitations(pulse_id: int) -> list[PulseInvitation]:
    query = (
        select(PulseInvitation)
        .join(PulseSubject)
        .where(PulseSubject.pulse_id == pulse_id)
        .order_by(PulseInvitation.id)
    )
    return list(db.session.scalars(query))
