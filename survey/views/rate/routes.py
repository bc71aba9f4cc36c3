"""Raters' pages behind the e-mailed link `/r/<token>` (SPEC §5, §6).

GET and HEAD never change anything (mail scanners prefetch links): an invitation becomes
"opened" only when the rater saves a draft, submits or declines. Unknown links, links of a
campaign that no longer accepts answers and used links (every invitation submitted or declined)
get the same neutral 404 page (SPEC §5). Only the browser that just finished a used link sees
its thank-you page, once; a late POST from a browser that was shown the form is told "already
submitted" (`browser` keeps both facts in the signed session).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.domain.answer_sheet import AnswerSheet, draft_sheet, read_answer_sheet
from survey.domain.questionnaire import Questionnaire
from survey.errors import InvalidState
from survey.extensions import db
from survey.i18n import (
    choose_language,
    current_language,
    gettext,
    rater_language,
    use_language,
)
from survey.models import Invitation, Rater
from survey.services import responses
from survey.services.questionnaires import questionnaire_for
from survey.views.rate import bp, browser, pages
from survey.views.rate.errors import LinkNotActive
from survey.views.rate.forms import DeclineForm

Page = str | tuple[str, int] | WerkzeugResponse


@bp.context_processor
def _helpers() -> dict[str, object]:
    return {
        "closes_label": pages.closes_label,
        "invitation_state": pages.invitation_state,
        "STATES": pages.STATES,
    }


@bp.get("/<token>")
def rater_home(token: str) -> Page:
    """The subjects this rater is asked about, each with its status and the deadline."""
    rater = _live_rater(token)
    invitations = responses.rater_invitations(rater)
    return render_template(
        "rate/home.html", token=token, rater=rater, campaign=rater.campaign, invitations=invitations
    )


@bp.route("/<token>/<int:invitation_id>", methods=["GET", "POST"])
def questionnaire(token: str, invitation_id: int) -> Page:
    """The questionnaire: GET shows it (with the draft), POST saves a draft or submits it."""
    invitation = _live_invitation(token, invitation_id, _late_post_allowed(invitation_id))
    if not invitation.is_open:
        return _finished_page(token, invitation, 409 if request.method == "POST" else 200)
    if request.method != "POST":  # GET and HEAD only read
        questions = _questionnaire(invitation)
        return _form_page(token, invitation, questions, pages.draft_sheet(invitation, questions))
    action = request.form.get("action", "")
    if action == "save":
        return _save_and_return(token, invitation)
    if action.startswith("language-"):
        return _switch_with_draft(token, invitation, action.removeprefix("language-"))
    return _submit(token, invitation)


@bp.post("/<token>/language")
def switch_language(token: str) -> WerkzeugResponse:
    """The language switcher outside the form (SPEC §14): remember the choice in this browser's
    signed session, then show the same rater page again (`next`, one of this link's pages)."""
    _live_rater(token)
    choose_language(request.form.get("language", ""))
    home = url_for(".rater_home", token=token)
    target = request.form.get("next", "")
    return redirect(target if target.startswith(home) else home, 303)


@bp.post("/<token>/<int:invitation_id>/draft")
def save_draft(token: str, invitation_id: int) -> tuple[WerkzeugResponse, int]:
    """Autosave: store the posted form as a draft.

    JSON `{saved_at, message}` (the time in the campaign's zone, as the "Save draft" banner says
    it) with 200, or `{error}` with 409 when the invitation was answered meanwhile.
    """
    invitation = _live_invitation(token, invitation_id, _late_post_allowed(invitation_id))
    now = _now()
    label = pages.time_label(now, invitation.subject.campaign)
    try:
        _save(invitation, now)
    except responses.AnswersClosed as error:
        raise LinkNotActive() from error
    except InvalidState as error:
        db.session.rollback()
        return jsonify(error=str(error).capitalize() + "."), 409
    db.session.commit()
    return jsonify(saved_at=label, message=gettext("Draft saved at %(time)s", time=label)), 200


@bp.get("/<token>/<int:invitation_id>/thanks")
def thanks(token: str, invitation_id: int) -> Page:
    """After a submit or decline (Post/Redirect/Get): thanks, and what is still to answer.

    Once the link is used up, only the browser that just finished sees this, and only once.
    """
    thanked = browser.take_thanks(invitation_id)  # read first, whatever the link: same headers
    invitation = _live_invitation(token, invitation_id, allow_used=True)
    if invitation.is_open:
        return redirect(url_for(".questionnaire", token=token, invitation_id=invitation.id))
    if not thanked and responses.link_is_used(invitation.rater):
        raise LinkNotActive()
    remaining = [i for i in responses.rater_invitations(invitation.rater) if i.is_open]
    return render_template(
        "rate/thanks.html", token=token, invitation=invitation, remaining=remaining
    )


@bp.route("/<token>/<int:invitation_id>/decline", methods=["GET", "POST"])
def decline(token: str, invitation_id: int) -> Page:
    """Decline one request, with an optional reason only HR sees; then the thank-you page."""
    invitation = _live_invitation(token, invitation_id, _late_post_allowed(invitation_id))
    if not invitation.is_open:
        return _finished_page(token, invitation, 409 if request.method == "POST" else 200)
    form = DeclineForm()
    if not form.validate_on_submit():
        browser.remember_invitation(invitation.id)
        status = 422 if form.is_submitted() else 200
        return render_template(
            "rate/decline.html", token=token, invitation=invitation, form=form
        ), status
    refused = _commit_change(
        token, invitation, lambda: responses.decline(invitation, form.reason.data, _now())
    )
    return refused or _thank(token, invitation_id)


def _now() -> datetime:
    return datetime.now(UTC)


def _live_rater(token: str) -> Rater:
    """The rater of a live, unused link, whose language the page then speaks."""
    rater = responses.find_rater(token)
    if rater is None or not responses.link_is_live(rater, _now()) or responses.link_is_used(rater):
        raise LinkNotActive()
    _speak_to(rater)
    return rater


def _live_invitation(token: str, invitation_id: int, allow_used: bool = False) -> Invitation:
    """The rater's invitation; a used link counts as unknown unless `allow_used`."""
    invitation = responses.find_link_invitation(token, invitation_id)
    if invitation is None or not responses.link_is_live(invitation.rater, _now()):
        raise LinkNotActive()
    if not (allow_used or invitation.is_open) and responses.link_is_used(invitation.rater):
        raise LinkNotActive()
    _speak_to(invitation.rater)
    return invitation


def _speak_to(rater: Rater) -> None:
    """Word the page in the rater's language: the switcher's choice, else their own (SPEC §14)."""
    use_language(rater_language(rater.person.language))


def _questionnaire(invitation: Invitation) -> Questionnaire:
    """The invitation's questionnaire in the page's language (the base one without it)."""
    return questionnaire_for(invitation.subject, invitation.rater_group, current_language())


def _late_post_allowed(invitation_id: int) -> bool:
    """A POST on a used link from a browser that was shown this form: say "already submitted"."""
    return request.method == "POST" and browser.knows_invitation(invitation_id)


def _reload(invitation: Invitation) -> Invitation:
    db.session.refresh(invitation)
    return invitation


def _comment_limit() -> int:
    return int(current_app.config["COMMENT_MAX_LENGTH"])


def _form_page(
    token: str,
    invitation: Invitation,
    questions: Questionnaire,
    sheet: AnswerSheet,
    status: int = 200,
) -> Page:
    """The questionnaire page, filled in from `sheet` (blank, a draft, or a refused submission)."""
    browser.remember_invitation(invitation.id)
    return pages.questionnaire_page(token, invitation, questions, sheet, _comment_limit()), status


def _save(invitation: Invitation, now: datetime) -> None:
    """Keep what was posted as the invitation's draft (answers on the scale, comments cut)."""
    questions = _questionnaire(invitation)
    sheet = draft_sheet(questions, request.form)
    comments = sheet.kept_comments(_comment_limit())
    responses.save_draft(invitation, sheet.answers, comments, now)


def _save_and_return(token: str, invitation: Invitation) -> Page:
    """The explicit "Save draft" button: save, then show the form again (Post/Redirect/Get)."""
    now = _now()
    label = pages.time_label(now, invitation.subject.campaign)
    refused = _commit_change(token, invitation, lambda: _save(invitation, now))
    if refused is not None:
        return refused
    message = gettext(
        "Draft saved at %(time)s. You can come back to it with the same link.", time=label
    )
    flash(message, "success")
    return redirect(url_for(".questionnaire", token=token, invitation_id=invitation.id), 303)


def _switch_with_draft(token: str, invitation: Invitation, language: str) -> Page:
    """The switcher inside the form: keep what was typed as the draft, then show the form
    again in `language` (the same keys, so every answer stays where it was)."""
    refused = _commit_change(token, invitation, lambda: _save(invitation, _now()))
    if refused is not None:
        return refused
    choose_language(language)
    return redirect(url_for(".questionnaire", token=token, invitation_id=invitation.id), 303)


def _submit(token: str, invitation: Invitation) -> Page:
    """Validate, store once, commit once, redirect to the thank-you page."""
    questions = _questionnaire(invitation)
    sheet = read_answer_sheet(questions, request.form, _comment_limit(), gettext)
    if not sheet.is_valid:
        return _form_page(token, invitation, questions, sheet, 422)
    invitation_id = invitation.id  # read before the commit expires the invitation
    refused = _commit_change(
        token,
        invitation,
        lambda: responses.submit_response(invitation, sheet.values(), sheet.comments, _now()),
    )
    return refused or _thank(token, invitation_id)


def _commit_change(token: str, invitation: Invitation, change: Callable[[], object]) -> Page | None:
    """Run `change` (a service call that writes) and commit once; None when it went through.

    A campaign that stopped taking answers makes the link not active; an invitation answered or
    declined meanwhile gets the "already submitted" or "declined" page (409), nothing stored.
    """
    try:
        change()
    except responses.AnswersClosed as error:
        raise LinkNotActive() from error
    except InvalidState:
        db.session.rollback()
        return _finished_page(token, _reload(invitation), 409)
    db.session.commit()
    return None


def _thank(token: str, invitation_id: int) -> WerkzeugResponse:
    """Post/Redirect/Get to the thank-you page, which this browser may then see once."""
    browser.expect_thanks(invitation_id)
    return redirect(url_for(".thanks", token=token, invitation_id=invitation_id), 303)


def _finished_page(token: str, invitation: Invitation, status: int) -> tuple[str, int]:
    """Already submitted or declined: say so plainly (never a second response, never a 500)."""
    used = responses.link_is_used(invitation.rater)
    return render_template(
        "rate/finished.html", token=token, invitation=invitation, link_used=used
    ), status
