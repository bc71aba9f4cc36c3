"""Nomination links `/n/<token>` (SPEC §5, §13): the subject proposes, the manager decides.

GET and HEAD only read (mail scanners prefetch links). Unknown links, and links that no longer
wait for their holder (list approved or decided, campaign launched, nomination deadline
passed), get one neutral page; each such answer counts against the client's
`RATE_BAD_LINK_LIMIT` (Flask-Limiter's shared limit, deducted only on a 404). A subject never
sees who was asked beside their own list, nor anything about answers.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from survey.domain.deadlines import format_deadline
from survey.domain.nomination import NominationError
from survey.errors import InvalidState
from survey.extensions import db, limiter
from survey.i18n import current_language, gettext, rater_language, use_language
from survey.mail import send_mails
from survey.models import Person
from survey.models_nomination import LinkRole, Nomination, NominationStatus
from survey.services import nominations as service
from survey.views.nominate.forms import ProposeForm, ReviewForm

bp = Blueprint("links", __name__, url_prefix="/n")
DONE = "nomination_done"  # session key: this browser just decided on a list
Page = str | tuple[str, int] | Response


class LinkNotActive(Exception):
    """Unknown link, or one whose nomination no longer waits for its holder."""


def _failed(response: Response) -> bool:
    return response.status_code == 404


bad_link_limit = limiter.shared_limit(
    lambda: str(current_app.config["RATE_BAD_LINK_LIMIT"]),
    scope="nomination-link",
    deduct_when=_failed,
)


@bp.errorhandler(LinkNotActive)
def link_not_active(error: LinkNotActive) -> tuple[str, int]:
    """The one neutral page for every link that cannot be used (SPEC §5)."""
    db.session.rollback()
    return render_template("nominate/link_not_active.html"), 404


@bp.after_request
def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<token>", methods=["GET", "POST"])
@bad_link_limit
def nomination(token: str) -> Page:
    """The subject's list (propose) or the manager's review (approve, edit, send back)."""
    found = service.find_link(token, _now())
    if found is None:
        raise LinkNotActive()
    nomination, role = found
    if role is LinkRole.SUBJECT:
        use_language(rater_language(nomination.subject.person.language))
        return _propose(token, nomination)
    manager = service.subject_manager(nomination.subject)
    use_language(rater_language(manager.language if manager is not None else None))
    return _review(token, nomination)


@bp.get("/<token>/done")
@bad_link_limit
def done(token: str) -> Page:
    """After a manager's decision (Post/Redirect/Get): said once, to that browser only."""
    outcome = session.pop(DONE, None)
    link = service.find_any_link(token)
    if link is None or not isinstance(outcome, dict) or outcome.get("id") != link.nomination_id:
        raise LinkNotActive()
    return render_template(
        "nominate/done.html", nomination=link.nomination, approved=bool(outcome.get("approved"))
    )


def _propose(token: str, nomination: Nomination) -> Page:
    form = ProposeForm()
    problems: list[str] = []
    if form.validate_on_submit() and not form.searching:
        try:
            mails = service.propose_list(nomination, form.peers.data, _now())
        except NominationError as error:
            db.session.rollback()
            problems = error.problems
        except InvalidState as error:
            raise LinkNotActive() from error
        else:
            db.session.commit()
            send_mails(mails)
            flash(gettext("Your list is sent."), "success")
            return redirect(url_for(".nomination", token=token), 303)
    return _page("nominate/propose.html", form, nomination, problems, token=token)


def _review(token: str, nomination: Nomination) -> Page:
    form = ReviewForm()
    problems: list[str] = []
    if form.validate_on_submit() and not form.searching:
        approve = form.action.data == "approve"
        try:
            if not approve and form.action.data != "reject":
                raise NominationError(["choose Approve or Send back"])
            mails = service.decide_list(
                nomination, approve, form.peers.data, _now(), by="manager", note=form.note.data
            )
        except NominationError as error:
            db.session.rollback()
            problems = error.problems
        except InvalidState as error:
            raise LinkNotActive() from error
        else:
            db.session.commit()
            send_mails(mails)
            session[DONE] = {"id": nomination.id, "approved": approve}
            return redirect(url_for(".done", token=token), 303)
    return _page("nominate/review.html", form, nomination, problems, token=token)


def _page(
    template: str, form: ProposeForm, nomination: Nomination, problems: list[str], **extra: Any
) -> Page:
    """The list page: chosen people, search results, suggestions; 422 with problems."""
    chosen = _chosen(form, nomination)
    shown = {person.id for person in chosen}
    query = (form.q.data or "").strip() if form.searching else ""
    results = [p for p in service.search_people(nomination, query) if p.id not in shown]
    suggested = [p for p in service.suggested_people(nomination) if p.id not in shown]
    campaign = nomination.subject.campaign
    closes = campaign.nomination_closes_at
    page = render_template(
        template,
        form=form,
        nomination=nomination,
        campaign=campaign,
        subject=nomination.subject,
        manager=service.subject_manager(nomination.subject),
        chosen=chosen,
        query=query,
        results=results,
        suggested=suggested,
        problems=problems,
        deadline=format_deadline(closes, campaign.timezone, current_language()) if closes else None,
        proposed=nomination.status is NominationStatus.PROPOSED,
        **extra,
    )
    return (page, 422) if problems else page


def _chosen(form: ProposeForm, nomination: Nomination) -> list[Person]:
    """The list as posted (kept across searches and refusals), else as stored."""
    if form.is_submitted():
        return service.people_by_email(form.peers.data)
    return [peer.person for peer in nomination.peers]


def _now() -> datetime:
    return datetime.now(UTC)
