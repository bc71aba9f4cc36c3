"""JSON API for signed-in users: the SPEC §9 report document, same as `report --format json`.

Same visibility as the report pages; anything a user may not read is a 404 identical to a
missing report. No route returns individual responses.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from flask_login import current_user

from survey.errors import NotFound
from survey.services.reports import (
    find_viewable_subject,
    report_document,
    viewable_subject_id,
)

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.before_request
def _signed_in() -> Any:
    if not current_user.is_authenticated:
        return jsonify(error="sign in first"), 401
    return None


@bp.after_request
def _no_store(response: Any) -> Any:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(NotFound)
def _not_found(error: NotFound) -> Any:
    return jsonify(error="not found"), 404


@bp.get("/campaigns/<int:campaign_id>/subjects/<int:subject_id>/report")
def subject_report(campaign_id: int, subject_id: int) -> Any:
    """The SPEC §9 report JSON of one subject."""
    subject = find_viewable_subject(current_user, campaign_id, subject_id)
    return jsonify(report_document(subject, to_subject=not current_user.is_hr))


@bp.get("/campaigns/<int:campaign_id>/report")
def report_by_email(campaign_id: int) -> Any:
    """The report JSON of the subject named by `?subject=EMAIL` (same access rules)."""
    email = request.args.get("subject", "")
    subject_id = viewable_subject_id(current_user, campaign_id, email=email)
    return subject_report(campaign_id, subject_id)
