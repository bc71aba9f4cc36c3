"""Helpers for the rater pages: drafts into forms, progress, times in the campaign's zone,
statuses in words, and what this browser may still see once a link is used up."""

from __future__ import annotations

import functools
from collections.abc import KeysView
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import get_template_attribute, session
from markupsafe import Markup

from survey.domain import answer_sheet
from survey.domain.answer_sheet import COMMENT_PREFIX, AnswerSheet
from survey.domain.questionnaire import Questionnaire, Section
from survey.models import Campaign, Invitation, InvitationStatus
from survey.services.questionnaires import unnamed_questionnaire

# status key → (words, badge class) as the rater's list shows them
STATES = {
    "not_started": ("Not started", "info"),
    "draft": ("Draft saved", "warn"),
    "submitted": ("Submitted", "ok"),
    "declined": ("Declined", ""),
}
# Signed-session keys: invitations whose open form this browser was shown (so a late POST from
# it, e.g. a second click or another tab, is told "already submitted"), and the one invitation
# it has just submitted or declined (its thank-you page is shown once, even on a used link).
KNOWN_KEY = "rate_known"
THANKS_KEY = "rate_thanks"
KNOWN_LIMIT = 50
UNAVAILABLE_AUTOSAVE = (
    "Not saved: the service is briefly unavailable. Your answers are kept in this browser."
)


@dataclass(frozen=True)
class AreaProgress:
    """How many of an area's items have an answer (N/A counts as answered)."""

    key: str
    title: str
    answered: int
    total: int


def invitation_state(invitation: Invitation) -> str:
    """One of STATES' keys: what the rater sees next to a subject."""
    if invitation.status is InvitationStatus.SUBMITTED:
        return "submitted"
    if invitation.status is InvitationStatus.DECLINED:
        return "declined"
    return "draft" if invitation.draft is not None else "not_started"


def draft_sheet(invitation: Invitation) -> AnswerSheet:
    """The saved draft as an answer sheet to fill the form with (empty without a draft)."""
    draft = invitation.draft
    if draft is None:
        return AnswerSheet()
    comments = {COMMENT_PREFIX + key: text for key, text in (draft.comments or {}).items()}
    posted = {**(draft.answers or {}), **comments}
    questions = unnamed_questionnaire(invitation.subject, invitation.rater_group)
    return answer_sheet.draft_sheet(questions, posted)


def progress(questionnaire: Questionnaire, sheet: AnswerSheet) -> list[AreaProgress]:
    """Answered/total per section, readiness sections last (keys prefixed `readiness-`)."""
    answered = sheet.answers.keys()
    readiness = questionnaire.readiness.sections if questionnaire.readiness else ()
    sections = [(s.key, s) for s in questionnaire.sections]
    sections += [("readiness-" + s.key, s) for s in readiness]
    return [_area_progress(key, section, answered) for key, section in sections]


def _area_progress(key: str, section: Section, answered: KeysView[str]) -> AreaProgress:
    count = sum(1 for item in section.items if item.key in answered)
    return AreaProgress(key, section.title, count, len(section.items))


def error_list(questionnaire: Questionnaire, sheet: AnswerSheet) -> list[tuple[str, str, str]]:
    """`(field id, statement or question, message)` per field with an error, in page order."""
    items = [
        (f"{item.key}-0", item.text, sheet.errors[item.key])
        for item in questionnaire.items()
        if item.key in sheet.errors
    ]
    questions = [
        (COMMENT_PREFIX + q.key, q.text, sheet.errors[COMMENT_PREFIX + q.key])
        for q in questionnaire.open_questions
        if COMMENT_PREFIX + q.key in sheet.errors
    ]
    return items + questions


def scale_inputs(
    key: str, chosen: object, required: bool, options: tuple[tuple[int, str, str, bool], ...]
) -> Markup:
    """One item's radio inputs (`rate/_scale.html`), `chosen` checked if it is on the scale.

    The markup depends on nothing else, so each variant is rendered once per process.
    """
    values = {value for _, value, _, _ in options}
    return _scale_inputs(key, chosen if chosen in values else None, required, options)


@functools.lru_cache(maxsize=8192)
def _scale_inputs(
    key: str, chosen: object, required: bool, options: tuple[tuple[int, str, str, bool], ...]
) -> Markup:
    macro = get_template_attribute("rate/_scale.html", "scale_inputs")
    return Markup(macro(key, chosen, required, options))


def closes_label(campaign: Campaign) -> str:
    """When answers close, in the campaign's zone; midnight reads as "the end of" the day before."""
    local = campaign.closes_at.astimezone(ZoneInfo(campaign.timezone))
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        day = local - timedelta(days=1)
        return f"the end of {_day(day)} ({campaign.timezone} time)"
    return f"{_day(local)} at {local:%H:%M} ({campaign.timezone} time)"


def time_label(moment: datetime, campaign: Campaign) -> str:
    """A time of day in the campaign's zone, e.g. "14:05 (Europe/Paris time)"."""
    return f"{moment.astimezone(ZoneInfo(campaign.timezone)):%H:%M} ({campaign.timezone} time)"


def _day(moment: datetime) -> str:
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def remember_invitation(invitation_id: int) -> None:
    """Note that this browser was shown this invitation's form while it was open."""
    known = [i for i in session.get(KNOWN_KEY, []) if i != invitation_id]
    session[KNOWN_KEY] = (known + [invitation_id])[-KNOWN_LIMIT:]


def knows_invitation(invitation_id: int) -> bool:
    """True if this browser was shown the invitation's form (see remember_invitation)."""
    return invitation_id in session.get(KNOWN_KEY, [])


def expect_thanks(invitation_id: int) -> None:
    """This browser has just submitted or declined the invitation: thank it once."""
    remember_invitation(invitation_id)
    session[THANKS_KEY] = invitation_id


def take_thanks(invitation_id: int) -> bool:
    """True (once) if this browser has just submitted or declined the invitation."""
    if session.get(THANKS_KEY) != invitation_id:
        return False
    session.pop(THANKS_KEY)
    return True
