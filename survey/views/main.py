"""Home page and health check."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> str | Response:
    """Send signed-in users to their page; everyone else sees what the product is."""
    if current_user.is_authenticated:
        if current_user.is_hr and "admin.campaigns" in _endpoints():
            return redirect(url_for("admin.campaigns"))
        if not current_user.is_hr and "reports.mine" in _endpoints():
            return redirect(url_for("reports.mine"))
    return render_template("main/index.html")


@bp.get("/healthz")
def health() -> tuple[str, int]:
    """Liveness for load balancers; touches nothing."""
    return "ok", 200


def _endpoints() -> set[str]:
    from flask import current_app

    return set(current_app.view_functions)
