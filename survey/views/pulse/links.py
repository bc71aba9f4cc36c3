"""The rater's pulse pages behind the e-mailed link `/p/<token>` (SPEC §12, §5–§6).

GET and HEAD never write. Unknown links, links of a closed pulse and used links get the same
neutral 404 page as a campaign link, under the same bad-link limit. Save draft and submit are
POSTs that commit once and redirect (Post/Redirect/Get); a second submit stores nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, request, url_for

from survey.domain.deadlines import format_deadline
from survey.domain.pulse import (
    COMMENT_FIELD,
    COMMENT_MAX,
    VALUES,
    Focus,
    PulseSheet,
    read_pulse_form,
)
from survey.extensions import db
from survey.i18n import current_language, gettext, lazy_gettext, rater_language, use_language
from survey.models_plans import Pulse, PulseInvitation, PulseRater, PulseSubject
from survey.services import pulse_answers as service
from survey.services.questionnaires import campaign_content
from survey.services.responses import AlreadySubmitted, AnswersClosed
from survey.templating import format_plain_day
from survey.views.rate import browser, limit_bad_links

bp = Blueprint("links", __name__, url_prefix="/p")
limit_bad_links(bp)
SCOPE = "pulse"
# The answer options, worded when the page is drawn (SPEC §12 scale, −2 … +2, and don't know).
LABELS = {
    -2: lazy_gettext("Much less effective"),
    -1: lazy_gettext("Less effective"),
    0: lazy_gettext("No change"),
    1: lazy_gettext("More effective"),
    2: lazy_gettext("Much more effective"),
}
NA_LABEL = lazy_gettext("Don't know")


def _options() -> list[tuple[str, str, str]]:
    return [(str(v), f"{v:+d}" if v else "0", str(LABELS[v])) for v in VALUES] + [
        ("na", "", str(NA_LABEL))
    ]


def _speak_to(rater: PulseRater) -> None:
    """The rater's pages in their language (or the switcher's choice), as on campaign links."""
    use_language(rater_language(rater.person.language if rater.person else None))


class LinkNotActive(Exception):
    """Unknown or used token, someone else's invitation, or a pulse that takes no answers."""


@bp.errorhandler(LinkNotActive)
def _not_active(error: LinkNotActive) -> tuple[str, int]:
    db.session.rollback()
    return render_template("rate/link_not_active.html"), 404


@bp.get("/<token>")
def rater_home(token: str) -> Any:
    """The subjects this rater is asked about in the pulse, each with its status."""
    rater = service.find_pulse_rater(token)
    if rater is None or not service.link_is_live(rater, _now()):
        raise LinkNotActive()
    _speak_to(rater)
    return render_template(
        "pulse/home.html",
        token=token,
        rater=rater,
        pulse=rater.pulse,
        invitations=service.rater_invitations(rater),
        closes=_closes(rater.pulse),
    )


@bp.route("/<token>/<int:invitation_id>", methods=["GET", "POST"])
def answer(token: str, invitation_id: int) -> Any:
    """The pulse questions about one subject: GET shows them (with the draft); POST saves a
    draft (`action=save`) or submits."""
    invitation = _live_invitation(token, invitation_id)
    _speak_to(invitation.rater)
    if not invitation.is_open:
        return _already(token, invitation, 409 if request.method == "POST" else 200)
    focus = _focus(invitation)
    if request.method != "POST":
        browser.remember_invitation(invitation.id, SCOPE)
        return _form_page(token, invitation, _draft_sheet(invitation, focus))
    sheet = read_pulse_form(focus, request.form)
    if not sheet.is_valid:
        return _form_page(token, invitation, sheet, 422)
    now = _now()
    if request.form.get("action") == "save":
        change: Callable[[], object] = lambda: service.save_pulse_draft(  # noqa: E731
            invitation, sheet.draft_answers(), sheet.comment, now
        )
        refused = _commit(token, invitation, change)
        if refused is not None:
            return refused
        local = now.astimezone(ZoneInfo(invitation.pulse_subject.pulse.timezone))
        flash(
            gettext(
                "Draft saved at %(time)s. You can come back with the same link.",
                time=f"{local:%H:%M}",
            ),
            "success",
        )
        return redirect(url_for(".answer", token=token, invitation_id=invitation_id), 303)
    refused = _commit(
        token,
        invitation,
        lambda: service.submit_pulse(invitation, sheet.answers, sheet.comment, now),
    )
    if refused is not None:
        return refused
    browser.expect_thanks(invitation_id, SCOPE)
    return redirect(url_for(".thanks", token=token, invitation_id=invitation_id), 303)


@bp.get("/<token>/<int:invitation_id>/thanks")
def thanks(token: str, invitation_id: int) -> Any:
    """After a submit (Post/Redirect/Get): thanks, and who is still to answer; shown once
    when that used up the link."""
    thanked = browser.take_thanks(invitation_id, SCOPE)
    invitation = service.find_pulse_invitation(token, invitation_id)
    if invitation is None or invitation.is_open:
        raise LinkNotActive()
    rater = invitation.rater
    if not thanked and not service.link_is_live(rater, _now()):
        raise LinkNotActive()
    _speak_to(rater)
    remaining = [i for i in service.rater_invitations(rater) if i.is_open]
    return render_template(
        "pulse/thanks.html", token=token, invitation=invitation, remaining=remaining
    )


def _now() -> datetime:
    return datetime.now(UTC)


def _closes(pulse: Pulse) -> str:
    return format_deadline(pulse.closes_at, pulse.timezone, current_language())


def _live_invitation(token: str, invitation_id: int) -> PulseInvitation:
    invitation = service.find_pulse_invitation(token, invitation_id)
    if invitation is None:
        raise LinkNotActive()
    rater = invitation.rater
    live = service.link_is_live(rater, _now())
    late_post = request.method == "POST" and browser.knows_invitation(invitation_id, SCOPE)
    if not live and not (late_post and rater.pulse.accepts_answers(_now())):
        raise LinkNotActive()
    return invitation


def _focus(invitation: PulseInvitation) -> list[Focus]:
    """The subject's focus, worded in the page's language from the campaign's snapshot (the
    text kept at launch where the snapshot has no such key)."""
    pulse_subject = invitation.pulse_subject
    texts = _focus_texts(pulse_subject, current_language())
    return [Focus(f["key"], texts.get(f["key"], f["text"])) for f in pulse_subject.focus]


def _focus_texts(pulse_subject: PulseSubject, language: str) -> dict[str, str]:
    """Focus key (`area:<key>`, `item:<key>`) → its words in `language`, items worded about the
    subject by name as raters read them."""
    subject = pulse_subject.subject
    content = campaign_content(subject.campaign, language)
    texts = {f"area:{area.key}": area.title for area in content.areas}
    for level in content.levels:
        for item in level.items:
            texts.setdefault(f"item:{item.key}", item.text_for("manager", subject.name))
    return texts


def _question(name: str, since: date, focus: Focus) -> str:
    """The SPEC §12 question in the page's language: "Since 2 March 2027, has Alice become
    more or less effective at results?"; for an item "... at this: “Alice finishes …”?"."""
    day = format_plain_day(since)
    if focus.key.startswith("area:"):
        area = focus.text
        if current_language() == "en":  # "effective at results"; German keeps its nouns capital
            area = area[:1].lower() + area[1:]
        return gettext(
            "Since %(day)s, has %(name)s become more or less effective at %(area)s?",
            day=day,
            name=name,
            area=area,
        )
    return gettext(
        "Since %(day)s, has %(name)s become more or less effective at this: “%(item)s”?",
        day=day,
        name=name,
        item=focus.text.rstrip("."),
    )


def _worded_errors(sheet: PulseSheet) -> PulseSheet:
    """The sheet's messages in the page's language (the domain writes them in English)."""
    for key in list(sheet.errors):
        if key == COMMENT_FIELD:
            sheet.errors[key] = gettext(
                "The comment has %(length)s characters; keep it to %(limit)s.",
                length=len(sheet.comment),
                limit=COMMENT_MAX,
            )
        else:
            sheet.errors[key] = gettext("Choose one of the answers shown.")
    return sheet


def _draft_sheet(invitation: PulseInvitation, focus: list[Focus]) -> PulseSheet:
    draft = invitation.draft
    if draft is None:
        return PulseSheet()
    form = {**(draft.answers or {}), COMMENT_FIELD: draft.comment or ""}
    return read_pulse_form(focus, form)


def _form_page(
    token: str, invitation: PulseInvitation, sheet: PulseSheet, status: int = 200
) -> tuple[str, int]:
    pulse_subject = invitation.pulse_subject
    name = pulse_subject.subject.name
    questions = [(f, _question(name, pulse_subject.since, f)) for f in _focus(invitation)]
    sheet = _worded_errors(sheet)
    chosen = sheet.draft_answers()
    return render_template(
        "pulse/answer.html",
        token=token,
        invitation=invitation,
        pulse=pulse_subject.pulse,
        name=name,
        questions=questions,
        chosen=chosen,
        sheet=sheet,
        options=_options(),
        comment_max=COMMENT_MAX,
        closes=_closes(pulse_subject.pulse),
    ), status


def _commit(token: str, invitation: PulseInvitation, change: Callable[[], object]) -> Any:
    """Run the write and commit once; None when it went through."""
    try:
        change()
    except AnswersClosed as error:
        raise LinkNotActive() from error
    except AlreadySubmitted:
        db.session.rollback()
        db.session.refresh(invitation)
        return _already(token, invitation, 409)
    db.session.commit()
    return None


def _already(token: str, invitation: PulseInvitation, status: int = 200) -> tuple[str, int]:
    return render_template("pulse/finished.html", token=token, invitation=invitation), status
