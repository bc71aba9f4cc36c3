"""Routes of the privacy pages: erasure (two steps: what goes, then erase) and the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from survey.database import purge_deleted_rows
from survey.errors import NotFound, SurveyError
from survey.extensions import db
from survey.i18n import gettext
from survey.models import Subject, utcnow
from survey.services import audit, moderation
from survey.services.erasure import erase_person, plan_erasure
from survey.views.admin import require_hr
from survey.views.admin_forms import sentence
from survey.views.privacy.forms import EraseForm, RemoveCommentForm

bp = Blueprint("privacy", __name__, url_prefix="/admin")
bp.before_request(require_hr)


@bp.route("/people/erase", methods=["GET", "POST"])
def erase() -> str | Response | tuple[str, int]:
    """Erase a person: the first POST shows what would go, the confirmed one erases."""
    form = EraseForm()
    if not form.validate_on_submit():
        return render_template("privacy/erase.html", form=form, plan=None)
    email = form.email.data or ""
    try:
        if form.confirmed.data != "yes":
            return render_template("privacy/erase.html", form=form, plan=plan_erasure(email))
        done = erase_person(email, actor=current_user.email, now=utcnow())
    except SurveyError as error:  # unknown e-mail, or in an open campaign
        db.session.rollback()
        form.email.errors = [sentence(str(error)) + "."]
        return render_template("privacy/erase.html", form=form, plan=None), 422
    db.session.commit()
    purge_deleted_rows()  # after the commit: the erased rows leave no trace on disk
    flash(gettext("Erased %(email)s: %(what)s.", email=done.email, what=done.worded()), "success")
    return redirect(url_for("admin.people"))


@bp.get("/audit")
def audit_log() -> str:
    """Who did what to people's data, newest first, 200 lines a page."""
    before = request.args.get("before", type=int)
    entries = audit.recent_entries(before_id=before)
    older = entries[-1].id if len(entries) == audit.PAGE_SIZE else None
    return render_template("privacy/audit.html", entries=entries, labels=audit.ACTIONS, older=older)


@bp.route(
    "/campaigns/<int:campaign_id>/subjects/<int:subject_id>/comments/<int:index>/remove",
    methods=["GET", "POST"],
)
def remove_comment(campaign_id: int, subject_id: int, index: int) -> str | Response:
    """GET shows one comment of a closed, unreleased report and asks why; POST removes it."""
    subject = db.session.get(Subject, subject_id)
    if subject is None or subject.campaign_id != campaign_id:
        abort(404)
    report_page = url_for("reports.subject_report", campaign_id=campaign_id, subject_id=subject_id)
    try:
        moderation.require_moderation(subject)
        comment = moderation.shown_comment(subject, index)
    except NotFound:
        abort(404)
    except SurveyError as error:  # released, or not closed yet
        flash(f"{sentence(str(error))}.", "error")
        return redirect(report_page)
    form = RemoveCommentForm()
    if form.validate_on_submit():
        try:
            moderation.remove_comment(
                subject,
                index,
                form.digest.data or "",
                reason=form.reason.data or "",
                actor=current_user.email,
                now=utcnow(),
            )
        except SurveyError as error:
            db.session.rollback()
            flash(f"{sentence(str(error))}.", "error")
            return redirect(report_page)
        db.session.commit()
        purge_deleted_rows()  # after the commit: the removed text leaves no trace on disk
        flash(
            gettext("The comment is removed. The report says that HR removed a comment."), "success"
        )
        return redirect(report_page + "#comments")
    form.digest.data = moderation.comment_digest(comment)
    return render_template(
        "privacy/remove_comment.html", form=form, subject=subject, comment=comment
    )
