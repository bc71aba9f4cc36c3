"""Erasure: forget a person (issue 20); add/flush only, the caller commits.

- As a **rater**, a person leaves their name, e-mail, rater links and invitations (with any
  draft or decline reason); the answers they submitted stay, because they were never linked
  to them (SPEC §6): every report stays exactly as it was.
- As a **subject**, every row about them goes: their subject entries, with the answers and
  comments about them and their frozen reports; raters asked only about them go too, and the
  org norms of their closed campaigns are recomputed without them (a team of one's norm was
  their own scores). Their development plans and the progress pulses about them (questions,
  answers, comments, links) go with the subject entries.
- As a **pulse rater**, their pulse links and invitations go; pulse answers they submitted stay,
  unlinked, as campaign answers do.
- The person, their sign-in account and its link tokens go; people they managed keep their
  place in the org chart with no manager until the next import names one. Audit lines an
  erased HR colleague caused, or that name their account, stay with "an erased account" in
  place of their e-mail.

Refused while the person is a rater or a subject in an open campaign (its answers are still
coming in). Each erasure leaves one audit line that says what kind of records went and how
many, never whose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, or_, select, update

from survey.domain.orgchart import normalise_email
from survey.domain.wording import counted
from survey.errors import InvalidState, NotFound
from survey.extensions import db
from survey.i18n import gettext, ngettext
from survey.models import (
    Campaign,
    CampaignStatus,
    Invitation,
    Person,
    Rater,
    Subject,
    User,
)
from survey.models_audit import AuditEntry
from survey.models_plans import PulseInvitation, PulseRater
from survey.services import audit
from survey.services.frozen_reports import RESULT_STATUSES, refreeze_norms


@dataclass(frozen=True)
class ErasurePlan:
    """What erasing one person removes: counts only, and the campaigns involved by id."""

    email: str
    rater_campaigns: tuple[int, ...]
    invitations: int
    subject_campaigns: tuple[int, ...]
    accounts: int

    def __str__(self) -> str:
        parts = []
        if self.rater_campaigns:
            invitations = counted(self.invitations, "invitation")
            parts.append(
                f"as a rater in {_campaigns(self.rater_campaigns)}: {invitations} and their "
                "links removed, their anonymous answers kept"
            )
        if self.subject_campaigns:
            parts.append(
                f"as a subject in {_campaigns(self.subject_campaigns)}: their reports, and the "
                "answers and comments about them, deleted (organisation norms recomputed)"
            )
        if self.accounts:
            parts.append(f"{counted(self.accounts, 'sign-in account')} deleted")
        parts.append("the person removed from the org chart")
        return "; ".join(parts)

    def worded(self) -> str:
        """`str(plan)` in the current language (HR's erase page, SPEC §14); the CLI keeps the
        English `str`."""
        parts = []
        if self.rater_campaigns:
            parts.append(
                ngettext(
                    "as a rater in %(campaigns)s: %(num)d invitation and its links removed, "
                    "the anonymous answers kept",
                    "as a rater in %(campaigns)s: %(num)d invitations and their links removed, "
                    "the anonymous answers kept",
                    self.invitations,
                    campaigns=_campaigns_worded(self.rater_campaigns),
                )
            )
        if self.subject_campaigns:
            parts.append(
                gettext(
                    "as a subject in %(campaigns)s: their reports, and the answers and comments "
                    "about them, deleted (organisation norms recomputed)",
                    campaigns=_campaigns_worded(self.subject_campaigns),
                )
            )
        if self.accounts:
            parts.append(
                ngettext(
                    "%(num)d sign-in account deleted",
                    "%(num)d sign-in accounts deleted",
                    self.accounts,
                )
            )
        parts.append(gettext("the person removed from the org chart"))
        return "; ".join(parts)


def plan_erasure(email: str) -> ErasurePlan:
    """What `erase_person(email)` would remove; raises NotFound for an unknown e-mail and
    InvalidState (naming the campaign) while they take part in an open campaign."""
    return _plan(_person(email))


def _plan(person: Person) -> ErasurePlan:
    _refuse_open_campaigns(person)
    rater_campaigns = db.session.scalars(
        select(Rater.campaign_id).where(Rater.person_id == person.id).order_by(Rater.campaign_id)
    ).all()
    invitations = db.session.scalar(
        select(func.count())
        .select_from(Invitation)
        .join(Rater, Rater.id == Invitation.rater_id)
        .where(Rater.person_id == person.id)
    )
    subject_campaigns = db.session.scalars(
        select(Subject.campaign_id)
        .where(Subject.person_id == person.id)
        .order_by(Subject.campaign_id)
    ).all()
    accounts = db.session.scalar(
        select(func.count()).select_from(User).where(_accounts_of(person))
    )
    return ErasurePlan(
        person.email,
        tuple(rater_campaigns),
        invitations or 0,
        tuple(subject_campaigns),
        accounts or 0,
    )


def erase_person(email: str, *, actor: str, now: datetime) -> ErasurePlan:
    """Forget the person with this e-mail (see the module docstring); returns what went.

    Raises NotFound for an unknown e-mail, InvalidState while they take part in an open
    campaign.
    """
    person = _person(email)
    plan = _plan(person)
    rater_ids = select(Rater.id).where(Rater.person_id == person.id).scalar_subquery()
    db.session.execute(delete(Invitation).where(Invitation.rater_id.in_(rater_ids)))
    db.session.execute(delete(Rater).where(Rater.person_id == person.id))
    # pulse links, invitations and drafts go with the pulse rater rows (ON DELETE CASCADE)
    db.session.execute(delete(PulseRater).where(PulseRater.person_id == person.id))
    # as a subject: invitations, responses (answers, comments) and frozen reports go by cascade
    db.session.execute(delete(Subject).where(Subject.person_id == person.id))
    _delete_raters_left_without_invitations(plan.subject_campaigns)
    _delete_pulse_raters_left_without_invitations()
    _refreeze_norms(plan.subject_campaigns)
    db.session.execute(delete(User).where(_accounts_of(person)))
    db.session.execute(
        update(Person).where(Person.manager_id == person.id).values(manager_id=None)
    )
    db.session.execute(delete(Person).where(Person.id == person.id))
    _forget_in_audit_log(person.email)
    db.session.expire_all()
    audit.record("person.erased", actor=actor, now=now, detail=_audit_detail(plan))
    return plan


ERASED_ACCOUNT = "an erased account"


def _forget_in_audit_log(email: str) -> None:
    """An erased HR colleague's e-mail leaves the lines they caused (as the actor) or that
    name their account ("signed out everywhere"); the lines themselves stay."""
    db.session.execute(
        update(AuditEntry).where(AuditEntry.actor == email).values(actor=ERASED_ACCOUNT)
    )
    db.session.execute(
        update(AuditEntry)
        .where(AuditEntry.detail.contains(email, autoescape=True))
        .values(detail=func.replace(AuditEntry.detail, email, f"({ERASED_ACCOUNT})"))
    )


def _delete_raters_left_without_invitations(campaign_ids: tuple[int, ...]) -> None:
    """Raters who were asked only about an erased subject have nothing left to answer."""
    if campaign_ids:
        asked = select(Invitation.rater_id).scalar_subquery()
        db.session.execute(
            delete(Rater).where(Rater.campaign_id.in_(campaign_ids), Rater.id.not_in(asked))
        )


def _delete_pulse_raters_left_without_invitations() -> None:
    """Pulse raters asked only about an erased subject (plans and pulses went by cascade)."""
    asked = select(PulseInvitation.rater_id).scalar_subquery()
    db.session.execute(delete(PulseRater).where(PulseRater.id.not_in(asked)))


def _refreeze_norms(campaign_ids: tuple[int, ...]) -> None:
    """Org norms are computed from every subject's report: once a subject is erased, those of
    their closed campaigns are recomputed without them (a team of one's norm was theirs)."""
    for campaign_id in campaign_ids:
        campaign = db.session.get(Campaign, campaign_id)
        if campaign is not None and campaign.status in RESULT_STATUSES:
            refreeze_norms(campaign)


def _audit_detail(plan: ErasurePlan) -> str:
    """The plan in words without the e-mail: an audit line never names the erased."""
    return f"a person was erased: {plan}"


def _person(email: str) -> Person:
    address = normalise_email(email)
    person: Person | None = db.session.scalar(select(Person).where(Person.email == address))
    if person is None:
        raise NotFound(f"no one with the e-mail {address} is in the org chart")
    return person


def _accounts_of(person: Person) -> ColumnElement[bool]:
    return or_(User.person_id == person.id, User.email == person.email)


def _refuse_open_campaigns(person: Person) -> None:
    as_rater = select(Campaign).join(Rater, Rater.campaign_id == Campaign.id).where(
        Rater.person_id == person.id
    )
    as_subject = select(Campaign).join(Subject, Subject.campaign_id == Campaign.id).where(
        Subject.person_id == person.id
    )
    for role, query in (("a rater", as_rater), ("a subject", as_subject)):
        campaign = db.session.scalar(
            query.where(Campaign.status == CampaignStatus.OPEN).order_by(Campaign.id).limit(1)
        )
        if campaign is not None:
            raise InvalidState(
                f"cannot erase {person.email}: they are {role} in the open campaign "
                f"“{campaign.name}” (id {campaign.id}); erase them once it is closed"
            )


def _campaigns(ids: tuple[int, ...]) -> str:
    listed = ", ".join(str(i) for i in ids)
    return f"campaign {listed}" if len(ids) == 1 else f"campaigns {listed}"


def _campaigns_worded(ids: tuple[int, ...]) -> str:
    listed = ", ".join(str(i) for i in ids)
    return ngettext("campaign %(ids)s", "campaigns %(ids)s", len(ids), ids=listed)

