"""Rater nomination before launch (SPEC §13): subjects propose, managers (or HR) decide.

`start_nominations` e-mails each subject a link to propose their peers; `propose_list` stores a
list and e-mails the manager a link to approve, edit or send it back (`decide_list`). An approved
list becomes the subject's peer invitations at once, so launch invites exactly those people;
everyone else keeps the default raters. Links follow the rater-link rules (SPEC §5): tokens from
`secrets`, kept only as hashes, and a link stops working once its nomination no longer waits for
that person. The per-rater cap counts every invitation a person holds in the campaign plus the
lists still waiting for a decision. Services add/flush; the view or command commits, then sends.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import selectinload

from survey.domain.deadlines import format_deadline
from survey.domain.nomination import (
    Candidate,
    NominationError,
    PeerLimits,
    list_problems,
    over_cap_message,
)
from survey.domain.orgchart import normalise_email
from survey.domain.raters import OrgTree
from survey.errors import InvalidState
from survey.extensions import db
from survey.i18n import current_language, gettext, in_language
from survey.mail import OutgoingMail, compose
from survey.models import Campaign, CampaignStatus, Invitation, Person, Rater, Subject
from survey.models_nomination import (
    LinkRole,
    Nomination,
    NominationLink,
    NominationPeer,
    NominationStatus,
)
from survey.services.campaigns import CampaignError, replace_peers, require_draft
from survey.services.orgchart import find_people, list_people, org_people
from survey.tokens import hash_token, looks_like_token, new_token, tokens_match

MAX_POSTED = 100  # e-mails read from one form; a longer list is refused before any look-up
STATE_LABELS = {
    None: "not sent yet",
    NominationStatus.NOT_STARTED: "not started",
    NominationStatus.PROPOSED: "proposed",
    NominationStatus.APPROVED: "approved",
    NominationStatus.REJECTED: "sent back",
}


@dataclass(frozen=True)
class NominateResult:
    """Subjects e-mailed a nomination link now, and those who had one already."""

    sent: int
    already: int
    mails: Sequence[OutgoingMail] = field(default=(), repr=False)

    def __str__(self) -> str:
        noun = "subject" if self.sent == 1 else "subjects"
        return f"nomination links sent to {self.sent} {noun} ({self.already} had theirs already)"


@dataclass(frozen=True)
class NominationRow:
    """One subject's nomination as HR sees it: state label and the names on the list."""

    subject_id: int
    name: str
    status: NominationStatus | None
    peers: tuple[str, ...]
    decided_by: str | None

    @property
    def label(self) -> str:
        """'not started', 'proposed', 'approved', 'sent back' or 'not sent yet'."""
        return STATE_LABELS[self.status]


def require_nomination(campaign: Campaign) -> None:
    """Raise InvalidState unless the campaign runs a nomination step and is still a draft."""
    if not campaign.nomination:
        raise InvalidState(
            f"campaign {campaign.id} has no nomination step; switch it on in its settings "
            "(or create the campaign with --nomination)"
        )
    require_draft(campaign, "nominated for")


def start_nominations(campaign: Campaign, now: datetime) -> NominateResult:
    """E-mail every subject without a nomination yet a link to propose their raters.

    Subjects e-mailed before are left alone (reminders come from `survey tick`). Raises
    InvalidState unless the campaign is a draft with the nomination step.
    """
    require_nomination(campaign)
    known = set(db.session.scalars(select(Nomination.subject_id).where(_of(campaign))))
    mails = []
    for subject in campaign.subjects:
        if subject.id in known:
            continue
        nomination = Nomination(campaign_id=campaign.id, subject=subject, invited_at=now)
        db.session.add(nomination)
        db.session.flush()
        mails.append(_subject_mail(nomination, now))
    if campaign.nominations_sent_at is None:
        campaign.nominations_sent_at = now
    db.session.flush()
    return NominateResult(sent=len(mails), already=len(known), mails=mails)


def find_link(token: str, now: datetime) -> tuple[Nomination, LinkRole] | None:
    """The nomination and role a link opens, or None when it is unknown or used (SPEC §5).

    A subject's link works while their list is not approved, the campaign is a draft and the
    nomination deadline has not passed; a manager's link while a list waits for a decision.
    """
    link = find_any_link(token)
    if link is None:
        return None
    nomination = link.nomination
    campaign = nomination.subject.campaign
    if campaign.status is not CampaignStatus.DRAFT or not campaign.nomination:
        return None
    if link.role is LinkRole.MANAGER:
        return (nomination, link.role) if nomination.waits_for_manager else None
    closes = campaign.nomination_closes_at
    if not nomination.waits_for_subject or (closes is not None and now >= closes):
        return None
    return nomination, link.role


def find_any_link(token: str) -> NominationLink | None:
    """The link record for `token` whatever its nomination's state (thank-you pages only)."""
    if not looks_like_token(token):
        return None
    link = db.session.get(NominationLink, hash_token(token))
    return link if link is not None and tokens_match(token, link.token_hash) else None


def propose_list(
    nomination: Nomination, emails: Sequence[str], now: datetime
) -> list[OutgoingMail]:
    """The subject's list, checked (SPEC §13) and stored as proposed.

    Returns the manager's e-mail when the list newly waits for them (none for a change to a
    list already waiting, or when the subject has no manager: HR decides then). Raises
    NominationError listing every problem (unknown e-mail, person taken or at the cap, count),
    InvalidState once the list is approved or the campaign launched.
    """
    require_nomination(nomination.subject.campaign)
    peers = _checked_list(nomination, emails)
    newly_waiting = not nomination.waits_for_manager
    nomination.propose(now)
    _store_peers(nomination, peers)
    manager = subject_manager(nomination.subject)
    if not newly_waiting or manager is None:
        return []
    return [_manager_mail(nomination, manager, now)]


def decide_list(
    nomination: Nomination,
    approve: bool,
    emails: Sequence[str],
    now: datetime,
    *,
    by: str,
    note: str | None = None,
) -> list[OutgoingMail]:
    """The manager (or HR, `by="hr"`) approves the list as posted in `emails`, or sends it back.

    Approving checks the list like a proposal and makes it the subject's peers; sending back
    keeps the default raters and gives the subject a fresh link to propose again (with `note`).
    Returns the e-mail to the subject. Raises NominationError / InvalidState.
    """
    if approve:
        peers = _checked_list(nomination, emails)
        nomination.decide(True, now, by)
        _store_peers(nomination, peers)
        replace_peers(nomination.subject.campaign, nomination.subject, [p.id for p in peers])
        return [_approved_mail(nomination)]
    nomination.decide(False, now, by, (note or "").strip() or None)
    db.session.flush()
    return [_subject_mail(nomination, now)]


def remind_nominations(campaign: Campaign, now: datetime) -> tuple[int, int, list[OutgoingMail]]:
    """Fresh links to subjects who have not proposed and managers who have not decided.

    Returns (subjects, managers, mails); earlier links keep working.
    """
    query = select(Nomination).where(_of(campaign)).order_by(Nomination.id)
    subjects, managers, mails = 0, 0, []
    for nomination in db.session.scalars(query):
        if nomination.status in (NominationStatus.NOT_STARTED, NominationStatus.REJECTED):
            subjects += 1
            mails.append(_subject_mail(nomination, now, reminder=True))
        elif nomination.waits_for_manager:
            manager = subject_manager(nomination.subject)
            if manager is not None:
                managers += 1
                mails.append(_manager_mail(nomination, manager, now, reminder=True))
    db.session.flush()
    return subjects, managers, mails


def nomination_of(subject: Subject) -> Nomination | None:
    """The subject's nomination, or None before nomination links went out."""
    return db.session.scalar(select(Nomination).where(Nomination.subject_id == subject.id))


def nomination_overview(campaign: Campaign) -> list[NominationRow]:
    """Every subject's nomination state and list, by subject name (HR only)."""
    query = (
        select(Nomination)
        .where(_of(campaign))
        .options(selectinload(Nomination.peers).joinedload(NominationPeer.person))
    )
    found = {n.subject_id: n for n in db.session.scalars(query)}
    rows = []
    for subject in sorted(campaign.subjects, key=lambda s: (s.name, s.id)):
        nomination = found.get(subject.id)
        peers = tuple(sorted(p.person.name for p in nomination.peers)) if nomination else ()
        status = nomination.status if nomination else None
        decided = nomination.decided_by if nomination else None
        rows.append(NominationRow(subject.id, subject.name, status, peers, decided))
    return rows


def nomination_warnings(campaign: Campaign) -> list[str]:
    """Before launch: subjects without an approved list (they keep the default raters), and
    people asked more often than the cap (org-chart raters are never dropped)."""
    warnings = []
    if campaign.nomination:
        waiting = [
            f"{row.name} ({row.label})"
            for row in nomination_overview(campaign)
            if row.status is not NominationStatus.APPROVED
        ]
        if waiting:
            count = len(waiting)
            who = (
                "1 subject without an approved list keeps"
                if count == 1
                else (f"{count} subjects without an approved list keep")
            )
            warnings.append(f"{who} their default raters: " + ", ".join(waiting))
    return warnings + over_cap_warnings(campaign)


def over_cap_warnings(campaign: Campaign) -> list[str]:
    """People holding more invitations than `max_requests_per_rater`, named with their count."""
    cap = campaign.max_requests_per_rater
    query = (
        select(Person.name, func.count(Invitation.id))
        .join(Rater, Rater.person_id == Person.id)
        .join(Invitation, Invitation.rater_id == Rater.id)
        .where(Rater.campaign_id == campaign.id)
        .group_by(Person.id, Person.name)
        .having(func.count(Invitation.id) > cap)
        .order_by(Person.name)
    )
    return [
        f"{name} is asked {count} times, more than the cap of {cap} (as manager or direct "
        "report, or added before the cap)"
        for name, count in db.session.execute(query)
    ]


def check_rater_load(campaign: Campaign, person_id: int) -> None:
    """Raise CampaignError naming the person when they are at the cap (HR adding a rater)."""
    load = projected_load(campaign, people=[person_id]).get(person_id, 0)
    if load >= campaign.max_requests_per_rater:
        person = db.session.get(Person, person_id)
        name = person.name if person is not None else "that person"
        raise CampaignError(over_cap_message(name, campaign.max_requests_per_rater))


def projected_load(
    campaign: Campaign,
    *,
    people: Collection[int] | None = None,
    without_subject: int | None = None,
) -> Counter[int]:
    """person id → invitations they will hold at launch as things stand (only `people`, when
    given).

    Lists waiting for a decision count instead of the peers they would replace; the peers
    of `without_subject` are left out (their new list is being checked).
    """
    proposed = select(Nomination.subject_id).where(
        _of(campaign), Nomination.status == NominationStatus.PROPOSED
    )
    replaced = set(db.session.scalars(proposed)) | {without_subject}
    query = (
        select(Rater.person_id, Invitation.subject_id, Invitation.rater_group)
        .join(Invitation, Invitation.rater_id == Rater.id)
        .where(Rater.campaign_id == campaign.id)
    )
    if people is not None:
        query = query.where(Rater.person_id.in_(list(people)))
    load: Counter[int] = Counter()
    for person_id, subject_id, group in db.session.execute(query):
        if not (group == "peers" and subject_id in replaced):
            load[person_id] += 1
    waiting = (
        select(NominationPeer.person_id)
        .join(Nomination, Nomination.id == NominationPeer.nomination_id)
        .where(_of(campaign), Nomination.status == NominationStatus.PROPOSED)
    )
    if without_subject is not None:
        waiting = waiting.where(Nomination.subject_id != without_subject)
    if people is not None:
        waiting = waiting.where(NominationPeer.person_id.in_(list(people)))
    load.update(db.session.scalars(waiting))
    return load


def subject_manager(subject: Subject) -> Person | None:
    """Who decides on the subject's list: the person invited as their manager, if any."""
    query = (
        select(Person)
        .join(Rater, Rater.person_id == Person.id)
        .join(Invitation, Invitation.rater_id == Rater.id)
        .where(Invitation.subject_id == subject.id, Invitation.rater_group == "manager")
        .order_by(Person.name, Person.id)
    )
    managers = list(db.session.scalars(query))
    in_org_chart = [m for m in managers if m.id == subject.person.manager_id]
    chosen = in_org_chart or managers
    return chosen[0] if chosen else None


def taken_raters(subject: Subject) -> dict[int, str]:
    """person id → the group they already rate the subject in, other than peers."""
    query = (
        select(Rater.person_id, Invitation.rater_group)
        .join(Invitation, Invitation.rater_id == Rater.id)
        .where(Invitation.subject_id == subject.id, Invitation.rater_group != "peers")
    )
    taken = {person_id: group for person_id, group in db.session.execute(query)}
    taken[subject.person_id] = "self"
    return taken


def suggested_people(nomination: Nomination, limit: int = 12) -> list[Person]:
    """Colleagues the org chart suggests (same manager and level, then one step up), minus
    the people who already rate the subject in another group."""
    subject = nomination.subject
    tree = OrgTree(org_people())
    me = tree.people.get(subject.person_id)
    if me is None:
        return []
    near, far = tree.peer_pool(me)
    taken = taken_raters(subject)
    ids = [i for i in near + far if i not in taken][:limit]
    people = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(ids)))}
    return [people[i] for i in ids if i in people]


def search_people(nomination: Nomination, text: str, limit: int = 20) -> list[Person]:
    """People whose name, e-mail or team contains `text` (case-insensitive), minus the people
    who already rate the subject in another group; [] for fewer than 2 characters."""
    text = text.strip()
    if len(text) < 2:
        return []
    taken = taken_raters(nomination.subject)
    return [p for p in list_people(limit=limit + len(taken), search=text) if p.id not in taken][
        :limit
    ]


def people_by_email(emails: Iterable[str]) -> list[Person]:
    """The people for these e-mails that are in the org chart, in the order given."""
    wanted = _distinct(emails)
    found = find_people(wanted)
    return [found[e] for e in wanted if e in found]


def _checked_list(nomination: Nomination, emails: Sequence[str]) -> list[Person]:
    campaign = nomination.subject.campaign
    limits = PeerLimits(campaign.min_peers, campaign.max_peers, campaign.max_requests_per_rater)
    wanted = _distinct(emails)
    if len(wanted) > MAX_POSTED:
        raise NominationError([f"choose at most {limits.max_peers} people"])
    found = find_people(wanted)
    problems = [f"{e} is not in the organisation" for e in wanted if e not in found]
    people = [found[e] for e in wanted if e in found]
    problems += list_problems(
        [Candidate(p.id, p.name) for p in people],
        taken=taken_raters(nomination.subject),
        load=projected_load(
            campaign, people=[p.id for p in people], without_subject=nomination.subject_id
        ),
        limits=limits,
    )
    if problems:
        raise NominationError(problems)
    return people


def _store_peers(nomination: Nomination, people: Sequence[Person]) -> None:
    nomination.peers = [NominationPeer(person_id=p.id) for p in people]
    db.session.flush()


def _distinct(emails: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for email in emails:
        if email.strip():
            seen.setdefault(normalise_email(email), None)
    return list(seen)


def _of(campaign: Campaign) -> ColumnElement[bool]:
    return Nomination.campaign_id == campaign.id


def _new_link(nomination: Nomination, role: LinkRole, now: datetime) -> str:
    """A fresh link token for `role` (returned in clear; only its hash is stored)."""
    token = new_token()
    db.session.add(
        NominationLink(
            token_hash=hash_token(token), nomination_id=nomination.id, role=role, created_at=now
        )
    )
    return f"{str(current_app.config['BASE_URL']).rstrip('/')}/n/{token}"


def _context(nomination: Nomination) -> dict[str, object]:
    campaign = nomination.subject.campaign
    closes = campaign.nomination_closes_at
    return {
        "campaign_name": campaign.name,
        "subject_name": nomination.subject.name,
        "min_peers": campaign.min_peers,
        "max_peers": campaign.max_peers,
        "nomination_deadline": (
            format_deadline(closes, campaign.timezone, current_language()) if closes else None
        ),
    }


def _subject_mail(nomination: Nomination, now: datetime, reminder: bool = False) -> OutgoingMail:
    """Ask the subject to propose (again): first request, reminder or list sent back; no link
    once the nomination deadline has passed (the subject keeps the default raters)."""
    closes = nomination.subject.campaign.nomination_closes_at
    link = _new_link(nomination, LinkRole.SUBJECT, now) if closes is None or now < closes else None
    returned = nomination.status is NominationStatus.REJECTED
    campaign_name = nomination.subject.campaign.name
    with in_language(nomination.subject.person.language):
        if returned and not reminder:
            subject_line = gettext(
                "Your list of raters was sent back: %(campaign)s", campaign=campaign_name
            )
        elif reminder:
            subject_line = gettext(
                "Reminder: choose who gives you feedback: %(campaign)s", campaign=campaign_name
            )
        else:
            subject_line = gettext(
                "Choose who gives you feedback: %(campaign)s", campaign=campaign_name
            )
        return compose(
            "nomination_request",
            to=nomination.subject.person.email,
            subject=subject_line,
            link=link,
            reminder=reminder,
            returned=returned,
            note=nomination.note,
            **_context(nomination),
        )


def _manager_mail(
    nomination: Nomination, manager: Person, now: datetime, reminder: bool = False
) -> OutgoingMail:
    link = _new_link(nomination, LinkRole.MANAGER, now)
    name = nomination.subject.name
    with in_language(manager.language):
        subject_line = (
            gettext("Reminder: %(name)s's raters wait for your approval", name=name)
            if reminder
            else gettext("%(name)s's raters wait for your approval", name=name)
        )
        return compose(
            "nomination_review",
            to=manager.email,
            subject=subject_line,
            link=link,
            manager_name=manager.name,
            reminder=reminder,
            **_context(nomination),
        )


def _approved_mail(nomination: Nomination) -> OutgoingMail:
    campaign_name = nomination.subject.campaign.name
    with in_language(nomination.subject.person.language):
        return compose(
            "nomination_approved",
            to=nomination.subject.person.email,
            subject=gettext(
                "Your list of raters is approved: %(campaign)s", campaign=campaign_name
            ),
            count=len(nomination.peers),
            **_context(nomination),
        )
