"""Development plans (SPEC §12): the subject's own plan page and the plans shared with a
manager. Every page is for a signed-in subject account; HR gets a 404 like a missing plan."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("plans", __name__, url_prefix="/plans")

from survey.views.plans import routes  # noqa: E402,F401  (its views join bp)
