"""HR's nomination actions (SPEC §13): send the nomination e-mails, and override a manager by
approving a proposed list or sending it back. HR only; each POST commits once, then mails."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from survey.errors import NotFound, SurveyError
from survey.extensions import db
from survey.i18n import gettext
from survey.mail import OutgoingMail, send_mails
from survey.models import Campaign, utcnow
from survey.services import campaigns as campaigns_service
from survey.services import nominations as service
from survey.views.admin import require_hr
from survey.views.admin_forms import ActionForm, sentence

bp = Blueprint("hr", __name__, url_prefix="/admin/campaigns")
T = TypeVar("T")
bp.before_request(require_hr)


@bp.route("/<int:campaign_id>/nominate", methods=["GET", "POST"])
def send_links(campaign_id: int) -> str | Response:
    """GET asks for confirmation; POST e-mails each subject without one a nomination link."""
    campaign = _campaign(campaign_id)
    form = ActionForm()
    if form.validate_on_submit():
        return _act(campaign, lambda: _sent(service.start_nominations(campaign, utcnow())))
    rows = service.nomination_overview(campaign)
    return render_template("nominate/confirm.html", campaign=campaign, form=form, rows=rows)


@bp.post(
    "/<int:campaign_id>/subjects/<int:subject_id>/nomination/<any(approve,'send-back'):decision>"
)
def decide(campaign_id: int, subject_id: int, decision: str) -> Response:
    """HR overrides the manager: approve the proposed list as it stands, or send it back."""
    campaign = _campaign(campaign_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    subject = _found(lambda: campaigns_service.get_subject(campaign, subject_id))
    nomination = service.nomination_of(subject)
    if nomination is None:
        abort(404)
    approve = decision == "approve"
    emails = [peer.person.email for peer in nomination.peers]

    def run() -> tuple[str, list[OutgoingMail]]:
        mails = service.decide_list(nomination, approve, emails, utcnow(), by="hr")
        if approve:
            message = gettext(
                "%(name)s's list approved: launch invites exactly these peers.", name=subject.name
            )
        else:
            message = gettext("%(name)s's list sent back.", name=subject.name)
        return message, mails

    back = url_for("admin.subject", campaign_id=campaign.id, subject_id=subject.id)
    return _act(campaign, run, back)


def _sent(result: service.NominateResult) -> tuple[str, list[OutgoingMail]]:
    return f"{sentence(str(result))}.", list(result.mails)


def _act(
    campaign: Campaign,
    operation: Callable[[], tuple[str, list[OutgoingMail]]],
    back: str | None = None,
) -> Response:
    """Run a service call: commit once and send its mail, or roll back and flash the reason."""
    try:
        message, mails = operation()
    except SurveyError as error:
        db.session.rollback()
        flash(sentence(str(error)), "error")
    else:
        db.session.commit()
        send_mails(mails)
        flash(message, "success")
    return redirect(back or url_for("admin.campaign", campaign_id=campaign.id))


def _campaign(campaign_id: int) -> Campaign:
    return _found(lambda: campaigns_service.get_campaign(campaign_id))


def _found(lookup: Callable[[], T]) -> T:
    try:
        return lookup()
    except NotFound:
        abort(404)
