"""Progress pulses (SPEC §12): launch over a released campaign's subjects who have a plan,
remind, close, and read the pooled results once closed.

A pulse goes to the people who submitted about a subject in the campaign (the invitations say
who), except the subject themself; each rater gets one e-mail listing every subject they are
asked about, with a personal link (`/p/<token>`, hash stored only). The rater side lives in
`survey.services.pulse_answers`. Services add and flush; the caller commits once, then sends.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import joinedload

from survey.domain.deadlines import check_deadline, format_deadline
from survey.domain.pulse import Focus, PulseError, PulseResult, pool_pulse
from survey.errors import InvalidState, NotFound
from survey.extensions import db
from survey.i18n import gettext, in_language
from survey.mail import OutgoingMail, compose
from survey.models import (
    Campaign,
    CampaignStatus,
    Invitation,
    InvitationStatus,
    Person,
    Rater,
    Subject,
    new_response_id,
)
from survey.models_plans import (
    DevelopmentPlan,
    Pulse,
    PulseAnswer,
    PulseComment,
    PulseDraft,
    PulseInvitation,
    PulseLink,
    PulseRater,
    PulseResponse,
    PulseStatus,
    PulseSubject,
)
from survey.services.reports import report_view
from survey.tokens import hash_token, new_token


@dataclass(frozen=True)
class PulseLaunch:
    """What a launch did: the pulse, how many subjects and raters, the e-mails to send."""

    pulse: Pulse
    subjects: int
    raters: int
    mails: list[OutgoingMail]


def get_pulse(pulse_id: int) -> Pulse:
    """The pulse with that id; NotFound otherwise."""
    pulse = db.session.get(Pulse, pulse_id)
    if pulse is None:
        raise NotFound(f"no pulse with id {pulse_id}")
    return pulse


def campaign_pulses(campaign: Campaign) -> list[Pulse]:
    """The campaign's pulses, newest first."""
    query = select(Pulse).where(Pulse.campaign_id == campaign.id).order_by(Pulse.id.desc())
    return list(db.session.scalars(query))


def launch_pulse(
    campaign: Campaign,
    *,
    deadline: date,
    zone: str,
    now: datetime,
    emails: Sequence[str] = (),
) -> PulseLaunch:
    """Start a pulse for the campaign's subjects who have a plan (only `emails`, if given).

    Raises InvalidState unless the campaign is released, PulseError when no chosen subject
    has a plan or asked someone, NotFound for an e-mail that is not a subject, DeadlineError
    for a deadline already past.
    """
    if campaign.status is not CampaignStatus.RELEASED:
        raise InvalidState(f"campaign {campaign.id} is not released: plans come after release")
    closes = check_deadline(deadline, zone, now)
    plans = _chosen_plans(campaign, emails)
    pulse = Pulse(
        campaign=campaign,
        deadline=deadline,
        timezone=zone,
        closes_at=closes,
        min_raters=campaign.min_raters,
        launched_at=now,
    )
    db.session.add(pulse)
    raters: dict[int, PulseRater] = {}
    asked: dict[int, list[PulseSubject]] = defaultdict(list)
    for plan in plans:
        pulse_subject = PulseSubject(
            pulse=pulse,
            subject=plan.subject,
            since=plan.created_at.date(),
            focus=_focus_snapshot(plan),
        )
        db.session.add(pulse_subject)
        for person_id in _submitted_raters(plan.subject):
            rater = raters.get(person_id) or PulseRater(pulse=pulse, person_id=person_id)
            raters[person_id] = rater
            db.session.add(PulseInvitation(pulse_subject=pulse_subject, rater=rater))
            asked[person_id].append(pulse_subject)
    if not raters:
        raise PulseError("nobody submitted feedback about the chosen subjects: no one to ask")
    db.session.flush()
    mails = [
        _rater_mail(rater, asked[person_id], pulse, now, reminder=False)
        for person_id, rater in raters.items()
    ]
    return PulseLaunch(pulse, len(plans), len(raters), mails)


def _chosen_plans(campaign: Campaign, emails: Sequence[str]) -> list[DevelopmentPlan]:
    query = (
        select(DevelopmentPlan)
        .join(Subject, Subject.id == DevelopmentPlan.subject_id)
        .join(Person, Person.id == Subject.person_id)
        .options(joinedload(DevelopmentPlan.subject).joinedload(Subject.person))
        .where(Subject.campaign_id == campaign.id)
        .order_by(Subject.name, Subject.id)
    )
    wanted = {e.strip().lower() for e in emails if e.strip()}
    if wanted:
        query = query.where(Person.email.in_(wanted))
    plans = list(db.session.scalars(query))
    missing = wanted - {p.subject.person.email for p in plans}
    if missing:
        raise NotFound(
            f"{sorted(missing)[0]} is not a subject of campaign {campaign.id} with a plan"
        )
    if not plans:
        raise PulseError(f"no subject of campaign {campaign.id} has a development plan yet")
    return plans


def _focus_snapshot(plan: DevelopmentPlan) -> list[dict[str, str]]:
    """The plan's focus as [{key, text}], worded as raters read it (frozen at launch)."""
    from survey.services.plans import focus_choices

    choices = focus_choices(report_view(plan.subject))
    return [{"key": key, "text": choices[key].text} for key in plan.focus if key in choices]


def _submitted_raters(subject: Subject) -> list[int]:
    """People who submitted about the subject in its campaign, self excluded, by id."""
    query = (
        select(Rater.person_id)
        .join(Invitation, Invitation.rater_id == Rater.id)
        .where(
            Invitation.subject_id == subject.id,
            Invitation.status == InvitationStatus.SUBMITTED,
            Invitation.rater_group != "self",
            Rater.person_id != subject.person_id,
        )
        .order_by(Rater.person_id)
    )
    return list(db.session.scalars(query))


def remind_pulse(pulse: Pulse, now: datetime) -> list[OutgoingMail]:
    """Remind raters with something unanswered, at most once per REMINDER_INTERVAL_HOURS;
    each e-mail lists only what is still open, with a fresh link (earlier ones keep working).
    Raises InvalidState unless the pulse takes answers."""
    if not pulse.accepts_answers(now):
        raise InvalidState(f"pulse {pulse.id} accepts no more answers; nothing to remind")
    interval = timedelta(hours=int(current_app.config["REMINDER_INTERVAL_HOURS"]))
    mails = []
    for rater in _raters(pulse):
        waiting = [i.pulse_subject for i in rater.invitations if i.is_open]
        recent = rater.last_reminded_at is not None and rater.last_reminded_at > now - interval
        if waiting and not recent:
            mails.append(_rater_mail(rater, waiting, pulse, now, reminder=True))
    db.session.flush()
    return mails


def _raters(pulse: Pulse) -> list[PulseRater]:
    query = (
        select(PulseRater)
        .where(PulseRater.pulse_id == pulse.id)
        .options(
            joinedload(PulseRater.person),
            joinedload(PulseRater.invitations)
            .joinedload(PulseInvitation.pulse_subject)
            .joinedload(PulseSubject.subject),
        )
        .order_by(PulseRater.id)
    )
    return list(db.session.scalars(query).unique())


def _rater_mail(
    rater: PulseRater, asked: list[PulseSubject], pulse: Pulse, now: datetime, *, reminder: bool
) -> OutgoingMail:
    """A fresh link for the rater and the one e-mail listing every subject asked about."""
    token = new_token()
    db.session.add(PulseLink(token_hash=hash_token(token), rater_id=rater.id))
    if reminder:
        rater.last_reminded_at = now
    else:
        rater.invited_at = now
    person = rater.person or db.session.get(Person, rater.person_id)
    assert person is not None
    base_url = str(current_app.config["BASE_URL"]).rstrip("/")
    with in_language(person.language) as language:
        line = (
            gettext("Reminder: a short progress check: %(campaign)s", campaign=pulse.campaign.name)
            if reminder
            else gettext("A short progress check: %(campaign)s", campaign=pulse.campaign.name)
        )
        return compose(
            "pulse_invitation",
            to=person.email,
            subject=line,
            rater_name=person.name,
            campaign_name=pulse.campaign.name,
            names=sorted(ps.subject.name for ps in asked),
            link=f"{base_url}/p/{token}",
            deadline=format_deadline(pulse.closes_at, pulse.timezone, language),
            reminder=reminder,
        )


def close_pulse(pulse: Pulse, now: datetime) -> list[OutgoingMail]:
    """open → closed: no more answers, unsubmitted drafts deleted; returns each subject's
    "your pulse results are ready" e-mail (with a sign-in link). Raises InvalidState when
    already closed."""
    pulse.close(now)
    return _seal_and_tell(pulse, now)


def _seal_and_tell(pulse: Pulse, now: datetime) -> list[OutgoingMail]:
    """A pulse just closed: seal its responses (`seal_pulse`); e-mail each subject a sign-in
    link to their results."""
    from survey.services.accounts import ensure_subject_users, issue_link_token, link_url

    seal_pulse(pulse)

    people = [ps.subject.person for ps in pulse.subjects]
    mails = []
    for user, pulse_subject in zip(ensure_subject_users(people), pulse.subjects, strict=True):
        token = issue_link_token(user, "sign_in", now)
        with in_language(pulse_subject.subject.person.language):
            subject = gettext(
                "Your progress pulse results: %(campaign)s", campaign=pulse.campaign.name
            )
            mails.append(
                compose(
                    "pulse_results",
                    to=user.email,
                    subject=subject,
                    name=pulse_subject.subject.name,
                    campaign_name=pulse.campaign.name,
                    link=link_url(token),
                    plan_path=f"/plans/{pulse_subject.subject_id}",
                )
            )
    return mails


def close_due_pulses(now: datetime) -> tuple[list[str], list[OutgoingMail]]:
    """Close every open pulse whose deadline has passed in its own zone (`survey tick`);
    returns a line per pulse closed and the subjects' e-mails. Each pulse is claimed by one
    conditional UPDATE, so two ticks at once close it, and e-mail its subjects, once."""
    lines: list[str] = []
    mails: list[OutgoingMail] = []
    due = select(Pulse).where(Pulse.status == PulseStatus.OPEN, Pulse.closes_at <= now)
    for pulse in db.session.scalars(due).all():
        claimed = db.session.execute(
            update(Pulse)
            .where(Pulse.id == pulse.id, Pulse.status == PulseStatus.OPEN)
            .values(status=PulseStatus.CLOSED, closed_at=now)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue
        db.session.refresh(pulse)
        mails += _seal_and_tell(pulse, now)
        lines.append(f"pulse {pulse.id} closed: its deadline has passed")
    return lines, mails


def seal_pulse(pulse: Pulse) -> int:
    """Leave nothing that ties a pulse response to its rater once the pulse closes (SPEC §6,
    as `survey.services.sealing` does for a campaign): drafts never submitted are deleted, and
    every response is rewritten with a fresh random id in the closing transaction, so on
    PostgreSQL all carry the same transaction stamp. Returns the responses rewritten."""
    subjects = select(PulseSubject.id).where(PulseSubject.pulse_id == pulse.id)
    invitations = select(PulseInvitation.id).where(PulseInvitation.pulse_subject_id.in_(subjects))
    db.session.execute(delete(PulseDraft).where(PulseDraft.invitation_id.in_(invitations)))
    rows = db.session.execute(
        select(PulseResponse.id, PulseResponse.pulse_subject_id).where(
            PulseResponse.pulse_subject_id.in_(subjects)
        )
    ).all()
    if not rows:
        return 0
    fresh = {old: new_response_id() for old, _ in rows}
    answers = db.session.execute(
        select(PulseAnswer.response_id, PulseAnswer.focus, PulseAnswer.value).where(
            PulseAnswer.response_id.in_(fresh)
        )
    ).all()
    comments = db.session.execute(
        select(PulseComment.response_id, PulseComment.text).where(
            PulseComment.response_id.in_(fresh)
        )
    ).all()
    # answers and comments go with their responses (ON DELETE CASCADE)
    db.session.execute(delete(PulseResponse).where(PulseResponse.id.in_(fresh)))
    new_rows = [
        {"id": new, "pulse_subject_id": ps}
        for new, ps in sorted((fresh[old], ps) for old, ps in rows)
    ]
    db.session.execute(insert(PulseResponse), new_rows)
    # every table is written in new-id order: rows read back in heap (submission) order and
    # re-inserted so would still line up with the receipts, which keep that order
    if answers:
        db.session.execute(
            insert(PulseAnswer),
            [
                {"response_id": new, "focus": f, "value": v}
                for new, f, v in sorted((fresh[r], f, v) for r, f, v in answers)
            ],
        )
    if comments:
        db.session.execute(
            insert(PulseComment),
            [{"response_id": n, "text": t} for n, t in sorted((fresh[r], t) for r, t in comments)],
        )
    db.session.flush()
    return len(rows)


def subject_result(pulse_subject: PulseSubject) -> PulseResult:
    """The pooled result of one subject in a closed pulse; InvalidState while it is open."""
    pulse = pulse_subject.pulse
    if pulse.status is not PulseStatus.CLOSED:
        raise InvalidState(f"pulse {pulse.id} is open: results are shown once it is closed")
    focus = [Focus(f["key"], f["text"]) for f in pulse_subject.focus]
    answers: dict[str, dict[str, int | None]] = defaultdict(dict)
    rows = db.session.execute(
        select(PulseResponse.id, PulseAnswer.focus, PulseAnswer.value)
        .outerjoin(PulseAnswer, PulseAnswer.response_id == PulseResponse.id)
        .where(PulseResponse.pulse_subject_id == pulse_subject.id)
    )
    for response_id, key, value in rows:
        answers[response_id]  # a response with no answer still counts as one
        if key is not None:
            answers[response_id][key] = value
    comments = db.session.scalars(
        select(PulseComment.text)
        .join(PulseResponse, PulseResponse.id == PulseComment.response_id)
        .where(PulseResponse.pulse_subject_id == pulse_subject.id)
    )
    return pool_pulse(focus, list(answers.values()), list(comments), pulse.min_raters)


def find_pulse_subject(pulse: Pulse, email: str) -> PulseSubject:
    """The pulse's subject with that e-mail; NotFound otherwise."""
    for pulse_subject in pulse.subjects:
        if pulse_subject.subject.person.email == email.strip().lower():
            return pulse_subject
    raise NotFound(f"{email} is not a subject of pulse {pulse.id}")


def pulse_document(pulse: Pulse, email: str) -> dict[str, object]:
    """`survey pulse report ID --subject EMAIL --format json` (SPEC §12): {focus [{key, text,
    score, n, na}], comments [text]} plus `pulse {id, campaign_id, status}` and `responses`."""
    result = subject_result(find_pulse_subject(pulse, email))
    return {
        "pulse": {"id": pulse.id, "campaign_id": pulse.campaign_id, "status": pulse.status.value},
        **result.to_json(),
    }


@dataclass(frozen=True)
class SubjectPulse:
    """A pulse about the subject as their plan page shows it: open, or closed with results."""

    pulse: Pulse
    pulse_subject: PulseSubject
    result: PulseResult | None


def subject_pulse_results(subject: Subject) -> list[SubjectPulse]:
    """Every pulse about this report's subject, newest first, with results once closed."""
    query = (
        select(PulseSubject)
        .join(Pulse, Pulse.id == PulseSubject.pulse_id)
        .options(joinedload(PulseSubject.pulse))
        .where(PulseSubject.subject_id == subject.id)
        .order_by(Pulse.id.desc())
    )
    found = []
    for pulse_subject in db.session.scalars(query):
        closed = pulse_subject.pulse.status is PulseStatus.CLOSED
        result = subject_result(pulse_subject) if closed else None
        found.append(SubjectPulse(pulse_subject.pulse, pulse_subject, result))
    return found


@dataclass(frozen=True)
class PulseProgress:
    """HR's view of one pulse subject: invited and submitted counts, results once closed."""

    pulse_subject: PulseSubject
    invited: int
    submitted: int
    result: PulseResult | None


def pulse_progress(pulse: Pulse) -> list[PulseProgress]:
    """Per subject: how many were asked and answered (progress, not answers), results once
    closed (pooled, k rule)."""
    counts: dict[int, int] = dict(
        db.session.execute(
            select(PulseInvitation.pulse_subject_id, func.count())
            .join(PulseSubject)
            .where(PulseSubject.pulse_id == pulse.id)
            .group_by(PulseInvitation.pulse_subject_id)
        ).all()
    )
    done: dict[int, int] = dict(
        db.session.execute(
            select(PulseInvitation.pulse_subject_id, func.count())
            .join(PulseSubject)
            .where(
                PulseSubject.pulse_id == pulse.id,
                PulseInvitation.status == InvitationStatus.SUBMITTED,
            )
            .group_by(PulseInvitation.pulse_subject_id)
        ).all()
    )
    closed = pulse.status is PulseStatus.CLOSED
    return [
        PulseProgress(
            ps, counts.get(ps.id, 0), done.get(ps.id, 0), subject_result(ps) if closed else None
        )
        for ps in pulse.subjects
    ]
