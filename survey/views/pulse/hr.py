"""HR's pulse pages (SPEC §12): launch a pulse for a released campaign's subjects who have a
plan, follow it (progress counts), remind, close, and read the pooled results once closed.
HR sees how many subjects have a plan, never a plan's actions. Each POST commits once, then
sends its e-mails."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import DateField, SelectField, SubmitField
from wtforms.validators import DataRequired

from survey.domain.deadlines import timezone_names
from survey.errors import NotFound, SurveyError
from survey.extensions import db
from survey.i18n import gettext, lazy_gettext, ngettext
from survey.mail import OutgoingMail, send_mails
from survey.models import Campaign, CampaignStatus, utcnow
from survey.models_plans import Pulse
from survey.services import campaigns as campaigns_service
from survey.services import pulses as service
from survey.services.plans import count_plans
from survey.views.admin import require_hr
from survey.views.admin_forms import ActionForm, sentence

bp = Blueprint("hr", __name__, url_prefix="/admin")
bp.before_request(require_hr)


class LaunchPulseForm(FlaskForm):
    """A pulse's deadline (date + IANA zone)."""

    deadline = DateField(lazy_gettext("Deadline"), validators=[DataRequired()])
    timezone = SelectField(lazy_gettext("Time zone"), validators=[DataRequired()])
    submit = SubmitField(lazy_gettext("Launch the progress pulse"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = [(zone, zone) for zone in timezone_names()]


@bp.route("/campaigns/<int:campaign_id>/pulses", methods=["GET", "POST"])
def campaign_pulses(campaign_id: int) -> Any:
    """The campaign's pulses, how many subjects have a plan, and the launch form."""
    campaign = _campaign(campaign_id)
    form = LaunchPulseForm(timezone=campaign.timezone)
    if form.validate_on_submit():
        deadline, zone = form.deadline.data, form.timezone.data or campaign.timezone

        def run() -> tuple[str, list[OutgoingMail], str]:
            assert deadline is not None
            launch = service.launch_pulse(campaign, deadline=deadline, zone=zone, now=utcnow())
            message = " ".join(
                (
                    ngettext(
                        "Progress pulse launched for %(num)d subject;",
                        "Progress pulse launched for %(num)d subjects;",
                        launch.subjects,
                    ),
                    ngettext(
                        "%(num)d rater e-mailed.", "%(num)d raters e-mailed.", launch.raters
                    ),
                )
            )
            return message, launch.mails, url_for(".pulse", pulse_id=launch.pulse.id)

        return _act(run, url_for(".campaign_pulses", campaign_id=campaign.id))
    return render_template(
        "pulse/hr_campaign.html",
        campaign=campaign,
        form=form,
        plans=count_plans(campaign),
        subjects=len(campaign.subjects),
        pulses=service.campaign_pulses(campaign),
        released=campaign.status is CampaignStatus.RELEASED,
    ), (422 if form.is_submitted() else 200)


@bp.get("/pulses/<int:pulse_id>")
def pulse(pulse_id: int) -> str:
    """One pulse: per subject, how many were asked and answered; results once closed."""
    found = _pulse(pulse_id)
    return render_template(
        "pulse/hr_pulse.html",
        pulse=found,
        campaign=found.campaign,
        rows=service.pulse_progress(found),
        form=ActionForm(),
        now=utcnow(),
    )


@bp.post("/pulses/<int:pulse_id>/<any(remind,close):action>")
def act(pulse_id: int, action: str) -> Response:
    """Remind the raters who have not answered, or close the pulse (subjects are told)."""
    found = _pulse(pulse_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    back = url_for(".pulse", pulse_id=pulse_id)

    def run() -> tuple[str, list[OutgoingMail], str]:
        if action == "remind":
            mails = service.remind_pulse(found, utcnow())
            sent = ngettext("%(num)d reminder sent.", "%(num)d reminders sent.", len(mails))
            return sent, mails, back
        mails = service.close_pulse(found, utcnow())
        return gettext("Pulse closed; each subject is told their results are ready."), mails, back

    return _act(run, back)


def _act(operation: Callable[[], tuple[str, list[OutgoingMail], str]], back: str) -> Response:
    """Run a service call: commit once and send its mail, or roll back and flash the reason."""
    try:
        message, mails, target = operation()
    except SurveyError as error:
        db.session.rollback()
        flash(sentence(str(error)) + ".", "error")
        return redirect(back, 303)
    db.session.commit()
    send_mails(mails)
    flash(message, "success")
    return redirect(target, 303)


def _campaign(campaign_id: int) -> Campaign:
    try:
        return campaigns_service.get_campaign(campaign_id)
    except NotFound:
        abort(404)


def _pulse(pulse_id: int) -> Pulse:
    try:
        return service.get_pulse(pulse_id)
    except NotFound:
        abort(404)
