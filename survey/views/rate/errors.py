"""The rater blueprint's error pages: the neutral page for a link that cannot be used (SPEC §5),
and "retry in a moment, your answers are kept" when the database is unavailable (SPEC §6)."""

from __future__ import annotations

from flask import current_app, jsonify, render_template, request
from sqlalchemy.exc import OperationalError
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.errorpages import render_error
from survey.extensions import db
from survey.i18n import lazy_gettext
from survey.views.rate import bp

UNAVAILABLE_AUTOSAVE = lazy_gettext(
    "Not saved: the service is briefly unavailable. Your answers are kept in this browser."
)


class LinkNotActive(Exception):
    """Unknown or used token, someone else's invitation, or a campaign that takes no answers."""


@bp.errorhandler(LinkNotActive)
def link_not_active(error: LinkNotActive) -> tuple[str, int]:
    """The one neutral page for every link that cannot be used (SPEC §5)."""
    db.session.rollback()
    return render_template("rate/link_not_active.html"), 404


@bp.errorhandler(OperationalError)
def database_unavailable(error: OperationalError) -> tuple[str, int] | WerkzeugResponse:
    """The database is down: say so, and that the answers are kept (in this browser, by rate.js).

    Autosave gets JSON; a submit or "Save draft" gets a page asking to retry in a minute.
    """
    db.session.rollback()
    current_app.logger.warning("database unavailable on a rater page: %s", type(error).__name__)
    if request.method == "POST" and request.endpoint == "rate.save_draft":
        reply = jsonify(error=str(UNAVAILABLE_AUTOSAVE))
        reply.status_code = 503
    elif request.method == "POST":
        reply = current_app.make_response((render_template("rate/unavailable.html"), 503))
    else:
        return render_error(503)
    reply.headers["Retry-After"] = "60"
    return reply
