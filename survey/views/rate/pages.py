"""What the rater pages show: the questionnaire page, drafts as answers, progress per area,
times in the campaign's zone and statuses in words (SPEC §6)."""

from __future__ import annotations

from collections.abc import KeysView
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import render_template

from survey.domain import answer_sheet
from survey.domain.answer_sheet import COMMENT_PREFIX, AnswerSheet
from survey.domain.languages import format_day
from survey.domain.questionnaire import Questionnaire, Section
from survey.i18n import current_language, gettext, lazy_gettext
from survey.models import Campaign, Invitation, InvitationStatus
from survey.views.rate.forms import scale_options

# status key → (words, badge class) as the rater's list shows them
STATES = {
    "not_started": (lazy_gettext("Not started"), "info"),
    "draft": (lazy_gettext("Draft saved"), "warn"),
    "submitted": (lazy_gettext("Submitted"), "ok"),
    "declined": (lazy_gettext("Declined"), ""),
}


@dataclass(frozen=True)
class AreaProgress:
    """How many of an area's items have an answer (N/A counts as answered)."""

    key: str
    title: str
    answered: int
    total: int


def questionnaire_page(
    token: str,
    invitation: Invitation,
    questionnaire: Questionnaire,
    sheet: AnswerSheet,
    comment_limit: int,
) -> str:
    """The questionnaire page for `invitation`, filled in from `sheet` (blank, a draft, or a
    refused submission with its messages)."""
    draft = invitation.draft
    return render_template(
        "rate/questionnaire.html",
        token=token,
        invitation=invitation,
        campaign=invitation.subject.campaign,
        questionnaire=questionnaire,
        sheet=sheet,
        errors=error_list(questionnaire, sheet),
        progress=progress(questionnaire, sheet),
        scale_options=scale_options(questionnaire.scale),
        comment_max_length=comment_limit,
        draft_saved_ms=int(draft.saved_at.timestamp() * 1000) if draft else 0,
    )


def invitation_state(invitation: Invitation) -> str:
    """One of STATES' keys: what the rater sees next to a subject."""
    if invitation.status is InvitationStatus.SUBMITTED:
        return "submitted"
    if invitation.status is InvitationStatus.DECLINED:
        return "declined"
    return "draft" if invitation.draft is not None else "not_started"


def draft_sheet(invitation: Invitation, questionnaire: Questionnaire) -> AnswerSheet:
    """The saved draft as an answer sheet to fill the form with (empty without a draft)."""
    draft = invitation.draft
    if draft is None:
        return AnswerSheet()
    comments = {COMMENT_PREFIX + key: text for key, text in (draft.comments or {}).items()}
    return answer_sheet.draft_sheet(questionnaire, {**(draft.answers or {}), **comments})


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


def closes_label(campaign: Campaign) -> str:
    """When answers close, in the campaign's zone and the page's language (SPEC §14); midnight
    reads as "the end of" the day before."""
    local = campaign.closes_at.astimezone(ZoneInfo(campaign.timezone))
    zone = campaign.timezone
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        day = _day(local - timedelta(days=1))
        return gettext("the end of %(day)s (%(zone)s time)", day=day, zone=zone)
    return gettext(
        "%(day)s at %(time)s (%(zone)s time)", day=_day(local), time=f"{local:%H:%M}", zone=zone
    )


def time_label(moment: datetime, campaign: Campaign) -> str:
    """A time of day in the campaign's zone, e.g. "14:05 (Europe/Paris time)"."""
    local = moment.astimezone(ZoneInfo(campaign.timezone))
    return gettext("%(time)s (%(zone)s time)", time=f"{local:%H:%M}", zone=campaign.timezone)


def _day(moment: datetime) -> str:
    return format_day(moment, current_language())
