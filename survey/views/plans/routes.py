"""The plan pages: `/plans/<subject_id>` (the subject's own, on a released report) and
`/plans/shared[/<plan_id>]` (a manager's view of plans shared with them). GET reads; POST writes
once and redirects (Post/Redirect/Get). Someone else's plan is the same 404 as none at all."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from survey.domain.plans import MAX_ACTIONS, MAX_FOCUS, PlanError
from survey.errorpages import render_error
from survey.errors import NotFound
from survey.extensions import db
from survey.i18n import current_language, gettext
from survey.mail import send_mails
from survey.services import plans as service
from survey.services.pulses import subject_pulse_results
from survey.services.reports import report_view
from survey.views.plans import bp
from survey.views.plans.forms import PlanForm


@bp.errorhandler(NotFound)
def _missing(error: NotFound) -> Any:
    return render_error(404)


@bp.route("/<int:subject_id>", methods=["GET", "POST"])
@login_required
def plan(subject_id: int) -> Any:
    """The subject's development plan on one released report: write, change, read results."""
    subject = service.own_released_subject(current_user, subject_id)
    view = report_view(subject, to_subject=True, language=current_language())
    existing = service.find_plan(subject)
    form = PlanForm(obj=existing)
    if form.validate_on_submit():
        now = datetime.now(UTC)
        try:
            saved, newly_shared = service.save_plan(
                subject,
                focus=form.focus.data,
                actions=form.actions.data or "",
                target_date=form.target_date.data,
                share_with_manager=form.share_with_manager.data,
                now=now,
            )
        except PlanError as error:
            db.session.rollback()
            form.focus.errors = [error.worded(gettext)]
        else:
            mails = service.shared_plan_mails(saved, now) if newly_shared else []
            db.session.commit()
            send_mails(mails)
            flash(gettext("Your development plan is saved."), "success")
            return redirect(url_for(".plan", subject_id=subject_id), 303)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "plans/plan.html",
        subject=subject,
        campaign=subject.campaign,
        plan=existing,
        form=form,
        choices=service.focus_choices(view, to_subject=True),
        chosen=set(form.focus.data or []),
        scores=service.focus_scores(view, existing.focus) if existing else [],
        manager=service.manager_of(subject),
        pulses=subject_pulse_results(subject),
        max_focus=MAX_FOCUS,
        max_actions=MAX_ACTIONS,
    ), status


@bp.get("/shared")
@login_required
def shared() -> Any:
    """A manager's list of the plans their people shared with them."""
    if current_user.is_hr:
        abort(404)
    return render_template("plans/shared.html", plans=service.shared_plans(current_user))


@bp.get("/shared/<int:plan_id>")
@login_required
def shared_plan(plan_id: int) -> Any:
    """One plan shared with the signed-in manager: focus, actions, target date (no scores)."""
    found = service.shared_plan(current_user, plan_id)
    view = report_view(found.subject, to_subject=True, language=current_language())
    choices = service.focus_choices(view)
    return render_template(
        "plans/shared_plan.html",
        plan=found,
        subject=found.subject,
        focus=[choices[key] for key in found.focus if key in choices],
    )
