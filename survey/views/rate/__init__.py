"""The rater blueprint: pages behind the e-mailed link `/r/<token>` (SPEC §5, §6).

`routes` holds the views, `errors` their error pages, `forms` the decline form and the answer
scale's options, `pages` what the templates show (progress, times in the campaign's zone,
statuses in words), and `browser` what this browser was shown, kept in the signed session.

Failed link look-ups are rate-limited per client address: every route of the blueprint shares
one Flask-Limiter limit (`RATE_BAD_LINK_LIMIT`, default 20/minute) that only a 404 (the neutral
"link not active" page) deducts from; once it is spent, every rater link answers 429 for that
client until the window passes.
"""

from __future__ import annotations

from flask import Blueprint, current_app
from flask import Response as FlaskResponse

from survey.extensions import limiter

bp = Blueprint("rate", __name__, url_prefix="/r")


def _bad_link_limit() -> str:
    return str(current_app.config["RATE_BAD_LINK_LIMIT"])


def _is_bad_link(response: FlaskResponse) -> bool:
    return response.status_code == 404


def limit_bad_links(blueprint: Blueprint) -> None:
    """Put `blueprint` under the one shared bad-link limit of every rater link (pulses too)."""
    limiter.shared_limit(_bad_link_limit, scope="rate-bad-link", deduct_when=_is_bad_link)(
        blueprint
    )


limit_bad_links(bp)

from survey.views.rate import errors, routes  # noqa: E402,F401  (their handlers join bp)
