"""HR pages under /admin: people, campaigns, the campaign dashboard and its actions.

Every page needs a signed-in HR user (signed out → sign-in page; a subject → 403). Views stay
thin: they call services, commit once, then send mail.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from flask import (
    Blueprint,
    abort,
    after_this_request,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from survey.database import purge_deleted_rows
from survey.domain.deadlines import format_deadline
from survey.domain.nomination import DEFAULT_MIN_PEERS, default_max_peers
from survey.domain.orgchart import MAX_LISTED_PROBLEMS, OrgChartError
from survey.domain.schedule import parse_reminder_days
from survey.errors import NotFound, SurveyError
from survey.extensions import db, login_manager
from survey.i18n import current_language, gettext, ngettext
from survey.mail import MailError, OutgoingMail, send_mails
from survey.models import Campaign, Invitation, utcnow
from survey.services import campaigns as service
from survey.services import nominations, orgchart
from survey.services.frozen_reports import RESULT_STATUSES, freeze_progress
from survey.services.progress import campaign_progress, launch_warnings, next_action
from survey.services.questionnaire_sets import campaign_set_label
from survey.services.retention import scheduled_deletions
from survey.views.admin_forms import (
    GROUP_LABELS,
    LEVEL_LABELS,
    LEVEL_NAMES,
    ActionForm,
    AddRaterForm,
    CampaignForm,
    CampaignSettingsForm,
    PersonLanguageForm,
    SubjectsForm,
    UploadPeopleForm,
    sentence,
    split_emails,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")
T = TypeVar("T")
ACTIONS = ("launch", "remind", "close", "release")
ViewResult = str | Response | tuple[str, int]


@bp.before_request
def require_hr() -> Any:
    """Signed out → the sign-in page (with `next`); signed in but not HR → 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_hr:
        abort(403)
    return None


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    return {"group_labels": GROUP_LABELS, "level_labels": LEVEL_LABELS, "level_names": LEVEL_NAMES}


@bp.get("/")
def index() -> Response:
    """The campaign list is HR's home."""
    return redirect(url_for("admin.campaigns"))


@bp.post("/people/language")
def person_language() -> ViewResult:
    """Set one person's language (SPEC §14); the People page again, with the outcome."""
    form = PersonLanguageForm()
    if form.validate_on_submit():
        try:
            person = orgchart.set_language(form.email.data or "", form.language.data or None)
        except SurveyError as error:
            db.session.rollback()
            flash(sentence(str(error)) + ".", "error")
        else:
            db.session.commit()
            flash(gettext("Language of %(name)s saved.", name=person.name), "success")
    else:
        for errors in form.errors.values():
            flash(gettext("Language not saved: %(reason)s", reason=" ".join(errors)), "error")
    return redirect(url_for("admin.people"))


@bp.route("/people", methods=["GET", "POST"])
def people() -> ViewResult:
    """The org chart, and its CSV upload (all-or-nothing; every bad row listed)."""
    form = UploadPeopleForm()
    problems: list[Any] = []
    summary = None
    if form.validate_on_submit():
        try:
            summary = orgchart.import_people(form.file.data.read())
        except OrgChartError as error:
            db.session.rollback()
            problems = error.problems
            flash(
                gettext(
                    "%(reason)s. Fix the rows below and upload again.", reason=sentence(str(error))
                ),
                "error",
            )
        else:
            db.session.commit()
            flash(
                gettext(
                    "Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.",
                    created=summary.created,
                    updated=summary.updated,
                    unchanged=summary.unchanged,
                ),
                "success",
            )
            if not summary.changes:
                return redirect(url_for("admin.people"))
    status = 422 if problems else 200
    page = render_template(
        "admin/people.html",
        form=form,
        problems=problems,
        summary=summary,
        max_listed=MAX_LISTED_PROBLEMS,
        people=orgchart.list_people(),
        language_form=PersonLanguageForm(formdata=None),
        count=orgchart.count_people(),
    )
    return page, status


@bp.get("/campaigns")
def campaigns() -> str:
    """Every campaign with its status, deadline and progress."""
    rows = [(c, campaign_progress(c).total) for c in service.list_campaigns()]
    return render_template(
        "admin/campaigns.html",
        rows=rows,
        deadline=_deadline,
        deletions=scheduled_deletions(),  # retention: HR is warned before anything goes
    )


@bp.route("/campaigns/new", methods=["GET", "POST"])
def new_campaign() -> ViewResult:
    """Create a draft campaign with its first subjects and their default raters."""
    form = CampaignForm()
    if form.validate_on_submit():
        saved = _save_campaign(
            form,
            lambda: service.create_campaign(_settings(form), _choice(form), now=utcnow()),
            gettext("Draft campaign created. Check the raters, then launch."),
        )
        if saved is not None:
            return saved
    return render_template("admin/campaign_form.html", form=form, campaign=None)


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
def edit_campaign(campaign_id: int) -> ViewResult:
    """Change a draft's name, deadline, time zone, k and peers."""
    campaign = _campaign(campaign_id)
    if not _is_draft(campaign):
        return redirect(url_for("admin.campaign", campaign_id=campaign.id))
    form = CampaignSettingsForm(obj=campaign)
    if form.validate_on_submit():

        def update() -> Campaign:
            service.update_campaign(campaign, _settings(form), now=utcnow())
            return campaign

        saved = _save_campaign(form, update, gettext("Campaign saved."))
        if saved is not None:
            return saved
    return render_template("admin/campaign_form.html", form=form, campaign=campaign)


def _save_campaign(
    form: CampaignSettingsForm, write: Callable[[], Campaign], message: str
) -> Response | None:
    """Run `write` and commit, then flash `message` and go to the campaign; None (the form
    keeps the service's reason as its error, nothing written) when the service refuses."""
    try:
        campaign = write()
    except SurveyError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return None
    db.session.commit()
    flash(message, "success")
    _flash_same_name(campaign)
    return redirect(url_for("admin.campaign", campaign_id=campaign.id))


@bp.get("/campaigns/<int:campaign_id>")
def campaign(campaign_id: int) -> str:
    """The dashboard: progress per subject and group, who has not answered, the next action."""
    campaign = _campaign(campaign_id)
    progress = campaign_progress(campaign)
    draft = _is_draft(campaign)
    return render_template(
        "admin/dashboard.html",
        campaign=campaign,
        progress=progress,
        warnings=launch_warnings(campaign, progress) if draft else [],
        nominations=nominations.nomination_overview(campaign) if campaign.nomination else [],
        launch_notes=nominations.nomination_warnings(campaign) if draft else [],
        action=next_action(campaign, utcnow()),
        deadline=_deadline(campaign),
        questionnaire_set=campaign_set_label(campaign),
        subjects_form=SubjectsForm() if draft else None,
        action_form=ActionForm(),
        freeze=freeze_progress(campaign) if campaign.status in RESULT_STATUSES else None,
    )


@bp.post("/campaigns/<int:campaign_id>/subjects")
def add_subjects(campaign_id: int) -> Response:
    """Add subjects by level or e-mail to a draft."""
    campaign = _campaign(campaign_id)
    form = SubjectsForm()
    if not form.validate_on_submit():
        return _back_with_errors(campaign, form)
    return _act(campaign, lambda: _added(service.add_subjects(campaign, _choice(form))))


@bp.route("/campaigns/<int:campaign_id>/subjects/<int:subject_id>")
def subject(campaign_id: int, subject_id: int) -> str:
    """One subject's raters: who is asked, in which group, and their progress."""
    campaign = _campaign(campaign_id)
    subject = _found(lambda: service.get_subject(campaign, subject_id))
    return render_template(
        "admin/subject.html",
        campaign=campaign,
        subject=subject,
        invitations=service.subject_invitations(subject),
        nomination=nominations.nomination_of(subject),
        rater_form=AddRaterForm() if _is_draft(campaign) else None,
        action_form=ActionForm(),
    )


@bp.post("/campaigns/<int:campaign_id>/subjects/<int:subject_id>/remove")
def remove_subject(campaign_id: int, subject_id: int) -> Response:
    """Take a subject out of a draft."""
    campaign = _campaign(campaign_id)
    _require_csrf_form()
    return _act(
        campaign,
        _done(lambda: service.remove_subject(campaign, subject_id), gettext("Subject removed.")),
    )


@bp.post("/campaigns/<int:campaign_id>/subjects/<int:subject_id>/next-level")
def toggle_next_level(campaign_id: int, subject_id: int) -> Response:
    """Switch the next-level (readiness) section on or off for one subject."""
    campaign = _campaign(campaign_id)
    _require_csrf_form()
    subject = _found(lambda: service.get_subject(campaign, subject_id))
    value = not subject.include_next_level
    return _act(
        campaign,
        _done(
            lambda: service.set_include_next_level(campaign, subject_id, value),
            gettext("Next-level questions added.")
            if value
            else gettext("Next-level questions removed."),
        ),
        url_for("admin.subject", campaign_id=campaign.id, subject_id=subject_id),
    )


@bp.post("/campaigns/<int:campaign_id>/subjects/<int:subject_id>/raters")
def add_rater(campaign_id: int, subject_id: int) -> Response:
    """HR adds a rater for a subject before launch."""
    campaign = _campaign(campaign_id)
    back = url_for("admin.subject", campaign_id=campaign.id, subject_id=subject_id)
    form = AddRaterForm()
    if not form.validate_on_submit():
        return _back_with_errors(campaign, form, back)
    if orgchart.find_person(form.email.data or "") is None:  # a typo: say so, not "page not found"
        flash(
            gettext(
                "No one with the e-mail %(email)s is in the org chart.", email=repr(form.email.data)
            ),
            "error",
        )
        return redirect(back)
    return _act(
        campaign,
        _done(
            lambda: service.add_rater(
                campaign, subject_id, form.email.data or "", form.group.data or ""
            ),
            gettext("Rater added."),
        ),
        back,
    )


@bp.post("/campaigns/<int:campaign_id>/invitations/<int:invitation_id>/remove")
def remove_invitation(campaign_id: int, invitation_id: int) -> Response:
    """HR removes one rater from one subject before launch."""
    campaign = _campaign(campaign_id)
    _require_csrf_form()
    invitation = db.session.get(Invitation, invitation_id)
    back = (
        url_for("admin.subject", campaign_id=campaign.id, subject_id=invitation.subject_id)
        if invitation is not None and invitation.campaign_id == campaign.id
        else None
    )
    return _act(
        campaign,
        _done(
            lambda: service.remove_invitation(campaign, invitation_id), gettext("Rater removed.")
        ),
        back,
    )


@bp.route(
    "/campaigns/<int:campaign_id>/<any(launch,remind,close,release):action>",
    methods=["GET", "POST"],
)
def confirm_action(campaign_id: int, action: str) -> ViewResult:
    """GET asks for confirmation; POST launches, reminds, closes or releases."""
    campaign = _campaign(campaign_id)
    form = ActionForm()
    if form.validate_on_submit():
        response = _act(campaign, lambda: _run_action(campaign, action))
        if action == "close":
            purge_deleted_rows()  # after the commit: sealed rows leave no trace on disk
        return response
    progress = campaign_progress(campaign)
    return render_template(
        "admin/confirm.html",
        campaign=campaign,
        action=action,
        form=form,
        progress=progress,
        deadline=_deadline(campaign),
        warnings=launch_warnings(campaign, progress) if action == "launch" else [],
        launch_notes=nominations.nomination_warnings(campaign) if action == "launch" else [],
    )


def _run_action(campaign: Campaign, action: str) -> tuple[str, list[OutgoingMail]]:
    now = utcnow()
    if action == "launch":
        result = service.launch_campaign(campaign, now)
        return f"Campaign {result}.", list(result.mails)
    if action == "remind":
        hours = float(current_app.config["REMINDER_INTERVAL_HOURS"])
        reminded = service.remind_campaign(campaign, now, timedelta(hours=hours))
        return f"{str(reminded).capitalize()}.", list(reminded.mails)
    if action == "close":
        return _close(campaign, now), []
    mails = service.release_campaign(campaign, now)
    return ngettext(
        "Campaign released: %(num)d subject notified.",
        "Campaign released: %(num)d subjects notified.",
        len(mails),
    ), mails


def _close(campaign: Campaign, now: datetime) -> str:
    """Close and commit at once; the reports are computed after the commit, by the worker with
    REDIS_URL (`rq worker mail`), else by a thread of this process (`_freeze_reports`). The
    campaign page shows their progress. Whatever the campaign's size: see the README."""
    service.close_campaign(campaign, now, freeze=False, seal=False)
    after_this_request(_freeze_reports(campaign.id))
    return gettext("Campaign closed: no more answers are accepted; computing the reports…")


def _freeze_reports(campaign_id: int) -> Callable[[Response], Response]:
    """After the close is committed: queue the reports for the worker when REDIS_URL is set,
    else (or when Redis is unreachable) compute them in a thread of this process.

    Until a report is stored, each read computes it in memory; `survey tick` resumes a freeze
    that was cut short.
    """

    def start(response: Response) -> Response:
        from survey.mail import QUEUE_NAME
        from survey.tasks import enqueue_freeze, freeze_in_background

        app = current_app._get_current_object()  # type: ignore[attr-defined]
        config = app.config
        if config.get("REDIS_URL"):
            from redis.exceptions import RedisError

            try:
                enqueue_freeze(
                    campaign_id, config["REDIS_URL"], config.get("MAIL_QUEUE") or QUEUE_NAME
                )
                return response
            except RedisError as error:
                app.logger.error(
                    "campaign %s: reports not queued (%s); computing them here", campaign_id, error
                )
        freeze_in_background(app, campaign_id)
        return response

    return start


def _act(
    campaign: Campaign,
    operation: Callable[[], tuple[str, list[OutgoingMail]]],
    back: str | None = None,
) -> Response:
    """Run a service call: commit once and send its mail, or roll back and flash the reason."""
    try:
        message, mails = operation()
    except NotFound:
        db.session.rollback()
        abort(404)
    except SurveyError as error:
        db.session.rollback()
        flash(sentence(str(error)), "error")
    else:
        db.session.commit()
        flash(message, "success")
        _send_after_commit(mails)
    return redirect(back or url_for("admin.campaign", campaign_id=campaign.id))


def _send_after_commit(mails: list[OutgoingMail]) -> None:
    """Send what a committed action e-mails; a mail server that refuses is a banner, not a 500
    (the action stands: remind sends open raters a fresh link once the server works)."""
    try:
        send_mails(mails)
    except MailError:  # its text may name recipients: the log says only how many
        current_app.logger.error("mail server refused %d messages", len(mails))
        flash(
            ngettext(
                "The change is saved, but %(num)d e-mail could not be sent: the mail server "
                "refused them. Check the mail settings, then use Remind.",
                "The change is saved, but %(num)d e-mails could not be sent: the mail server "
                "refused them. Check the mail settings, then use Remind.",
                len(mails),
            ),
            "error",
        )


def _done(
    operation: Callable[[], object], message: str
) -> Callable[[], tuple[str, list[OutgoingMail]]]:
    """An `_act` operation that runs `operation` and flashes `message`, sending no mail."""

    def run() -> tuple[str, list[OutgoingMail]]:
        operation()
        return message, []

    return run


def _added(count: int) -> tuple[str, list[OutgoingMail]]:
    return ngettext(
        "%(num)d subject added with their default raters.",
        "%(num)d subjects added with their default raters.",
        count,
    ), []


def _back_with_errors(campaign: Campaign, form: Any, back: str | None = None) -> Response:
    for field_name, errors in form.errors.items():
        label = getattr(getattr(form, field_name, None), "label", None)
        for error in errors:
            flash(f"{label.text if label else sentence(field_name)}: {error}", "error")
    return redirect(back or url_for("admin.campaign", campaign_id=campaign.id))


def _require_csrf_form() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


def _campaign(campaign_id: int) -> Campaign:
    return _found(lambda: service.get_campaign(campaign_id))


def _found(lookup: Callable[[], T]) -> T:
    try:
        return lookup()
    except NotFound:
        abort(404)


def _is_draft(campaign: Campaign) -> bool:
    return campaign.status.value == "draft"


def _deadline(campaign: Campaign) -> str:
    return format_deadline(campaign.closes_at, campaign.timezone, current_language())


def _settings(form: CampaignSettingsForm) -> service.CampaignSettings:
    return service.CampaignSettings(
        name=form.name.data or "",
        deadline=form.deadline.data,
        timezone=form.timezone.data or "",
        min_raters=form.min_raters.data or 0,
        max_peers=form.max_peers.data or default_max_peers(bool(form.nomination.data)),
        questionnaire_set_id=form.questionnaire_set_id.data or None,
        nomination=bool(form.nomination.data),
        min_peers=form.min_peers.data or DEFAULT_MIN_PEERS,
        max_requests_per_rater=form.max_requests_per_rater.data or 0,
        nomination_deadline=form.nomination_deadline.data,
        reminder_days=parse_reminder_days(form.reminder_days.data or ""),
        release_after_days=form.release_after_days.data,
        spread_min=form.spread_min.data,
    )


def _flash_same_name(campaign: Campaign) -> None:
    """Warn when other campaigns carry the same name: the list tells them apart by dates."""
    for other in service.same_name_campaigns(campaign):
        flash(
            gettext(
                "Campaign %(id)s is also called “%(name)s” (created %(created)s, deadline "
                "%(deadline)s, %(status)s); the campaign list shows each one's dates.",
                id=other.id,
                name=other.name,
                created=other.created_at.date().isoformat(),
                deadline=other.deadline.isoformat(),
                status=other.status.value,
            ),
            "warning",
        )


def _choice(form: SubjectsForm) -> service.SubjectChoice:
    return service.SubjectChoice(
        levels=tuple(form.levels.data or ()),
        emails=tuple(split_emails(form.emails.data)),
        next_level=tuple(split_emails(form.next_level.data)),
    )
