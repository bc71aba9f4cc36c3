"""The questionnaire page (SPEC §6): rendered from its templates, or assembled from a copy.

A blank form (no draft, nothing posted, no message waiting, nobody signed in) is the same for
every rater of one campaign, level, group and next-level flag, except for the subject's name,
the link and the CSRF token. Such a page is rendered once per process with a slot for each of
those and then filled in by joining strings: rendering ~40 items of radio buttons was most of
a rater's GET (issue 8's benchmark). The slots are private-use characters and a random token
and number, none of which questionnaire content, a URL or an escaped name can produce.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import render_template, session, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import escape

from survey.domain.answer_sheet import AnswerSheet
from survey.domain.questionnaire import Questionnaire
from survey.models import Campaign, Draft, Invitation
from survey.services.open_links import OpenLink
from survey.services.questionnaires import NAME_SLOT, questionnaire_for, unnamed_questionnaire
from survey.services.responses import find_link_invitation
from survey.views import rate_support as support
from survey.views.rate_forms import scale_options

CSRF_SLOT = "\ue000csrf\ue000"
TOKEN_SLOT = "slot" + secrets.token_hex(12)  # URL-safe: url_for leaves it as it is
INVITATION_SLOT = 10**15 + secrets.randbelow(10**15)  # an invitation id nobody has
_SLOT_PATTERN = re.compile("|".join(map(re.escape, (NAME_SLOT, CSRF_SLOT, TOKEN_SLOT,
                                                    str(INVITATION_SLOT)))))
# (campaign id, launch, closes at, zone, k, level, group, next level?, comment limit) → page
_PageKey = tuple[int, datetime, datetime, str, int, str, str, bool, int]
_BLANK_PAGES: dict[_PageKey, tuple[str, ...]] = {}
_MAX_BLANK_PAGES = 256


@dataclass(frozen=True)
class RaterLinks:
    """The URLs the questionnaire page links to (all under the rater's `/r/<token>` link)."""

    home: str
    form: str
    draft: str
    decline: str


def rater_links(token: str, invitation_id: int) -> RaterLinks:
    """The page's URLs for one invitation of the link `token`."""
    return RaterLinks(
        home=url_for("rate.rater_home", token=token),
        form=url_for("rate.questionnaire", token=token, invitation_id=invitation_id),
        draft=url_for("rate.save_draft", token=token, invitation_id=invitation_id),
        decline=url_for("rate.decline", token=token, invitation_id=invitation_id),
    )


def questionnaire_page(
    token: str, invitation: Invitation, sheet: AnswerSheet, comment_limit: int
) -> str:
    """The questionnaire page for `invitation`, filled in from `sheet` (a draft, or a refused
    submission with its messages). Blank pages come from the per-shape copy."""
    campaign: Campaign = invitation.subject.campaign
    blank = invitation.draft is None and not sheet.has_answers() and sheet.is_valid
    if not (blank and campaign.launched_at is not None and copy_applies()):
        return _render(token, invitation, sheet, comment_limit)
    subject = invitation.subject
    key = (campaign.id, campaign.launched_at, campaign.closes_at, campaign.timezone,
           campaign.min_raters, subject.level, invitation.rater_group,
           subject.include_next_level, comment_limit)
    parts = _BLANK_PAGES.get(key) or _keep_blank_page(key, invitation, comment_limit)
    return _fill(parts, token, invitation.id, subject.name)


def blank_page(token: str, link: OpenLink, comment_limit: int) -> str:
    """The blank questionnaire page of an open invitation without a draft (`copy_applies()`
    must hold): from the copy, or rendered once from the ORM objects to make the copy."""
    key = (link.campaign_id, link.launched_at, link.closes_at, link.timezone, link.min_raters,
           link.level, link.rater_group, link.include_next_level, comment_limit)
    parts = _BLANK_PAGES.get(key)
    if parts is None:
        invitation = find_link_invitation(token, link.invitation_id)
        assert invitation is not None  # the open link was just read
        parts = _keep_blank_page(key, invitation, comment_limit)
    return _fill(parts, token, link.invitation_id, link.subject_name)


def copy_applies() -> bool:
    """True unless the page must show something of this browser's: a flashed message, or the
    navigation of someone signed in."""
    return "_flashes" not in session and not current_user.is_authenticated


def _fill(parts: tuple[str, ...], token: str, invitation_id: int, subject_name: str) -> str:
    values = {
        NAME_SLOT: str(escape(subject_name)),
        CSRF_SLOT: str(escape(generate_csrf())),
        TOKEN_SLOT: token,  # URL-safe by looks_like_token: the same in a URL and escaped
        str(INVITATION_SLOT): str(invitation_id),
    }
    # parts alternate: text, slot, text, slot, …, text
    return "".join(part if index % 2 == 0 else values[part] for index, part in enumerate(parts))


def _keep_blank_page(key: _PageKey, invitation: Invitation, comment_limit: int) -> tuple[str, ...]:
    """Render the blank page with slots, cut it at the slots and keep it under `key`."""
    subject = invitation.subject
    if len(_BLANK_PAGES) >= _MAX_BLANK_PAGES:
        _BLANK_PAGES.clear()
    page = _render_page(
        links=rater_links(TOKEN_SLOT, INVITATION_SLOT),
        invitation=invitation,
        questionnaire=unnamed_questionnaire(subject, invitation.rater_group),
        sheet=AnswerSheet(),
        csrf=CSRF_SLOT,
        comment_limit=comment_limit,
        draft=None,
    )
    parts = _BLANK_PAGES[key] = tuple(_split(page))
    return parts


def _split(page: str) -> list[str]:
    """`[text, slot, text, …, text]`: the page cut at every slot."""
    parts, start = [], 0
    for match in _SLOT_PATTERN.finditer(page):
        parts += [page[start:match.start()], match.group()]
        start = match.end()
    return parts + [page[start:]]


def _render(token: str, invitation: Invitation, sheet: AnswerSheet, comment_limit: int) -> str:
    questionnaire = questionnaire_for(invitation.subject, invitation.rater_group)
    return _render_page(
        links=rater_links(token, invitation.id),
        invitation=invitation,
        questionnaire=questionnaire,
        sheet=sheet,
        csrf=generate_csrf(),
        comment_limit=comment_limit,
        draft=invitation.draft,
        errors=support.error_list(questionnaire, sheet),
    )


def _render_page(
    *,
    links: RaterLinks,
    invitation: Invitation,
    questionnaire: Questionnaire,
    sheet: AnswerSheet,
    csrf: str,
    comment_limit: int,
    draft: Draft | None,
    errors: list[tuple[str, str, str]] | None = None,
) -> str:
    unnamed = unnamed_questionnaire(invitation.subject, invitation.rater_group)
    return render_template(
        "rate/questionnaire.html",
        links=links,
        campaign=invitation.subject.campaign,
        questionnaire=questionnaire,
        sheet=sheet,
        errors=errors or [],
        progress=support.progress(unnamed, sheet),
        scale_options=scale_options(unnamed.scale),
        csrf=csrf,
        comment_max_length=comment_limit,
        draft_saved_ms=int(draft.saved_at.timestamp() * 1000) if draft else 0,
    )
