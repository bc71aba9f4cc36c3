"""Failed rater-link look-ups, limited per client address (SPEC §5: links cannot be guessed).

Only failures count. Every rater page first asks whether this client has used up
`RATE_BAD_LINK_LIMIT` (default 20/minute) and answers 429 until the window passes; a page that
could not use its link deducts one. The counting is the `limits` library's strategy on
Flask-Limiter's own storage (`RATELIMIT_STORAGE_URI`: memory per process, or e.g. Redis shared
by every worker), asked directly: Flask-Limiter's per-request machinery around a decorated
shared limit cost about a tenth of a rater's page and submission (issue 8's benchmark).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import Blueprint, Flask, abort, current_app, g, request
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse

from survey.extensions import limiter

SCOPE = "rate-bad-link"
_GUARDED: set[str] = set()  # blueprints under protect()
APP_WIDE_LIMITS = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")


def protect(blueprint: Blueprint) -> None:
    """Guard every route of `blueprint`: refuse spent clients, count failures (`count_failure`).

    No application or default limits apply on top of this one: the blueprint is exempt from
    Flask-Limiter, and `skip_app_limits` keeps Flask-Limiter's app-wide before-request step
    off its requests (finding that nothing applies cost ~5% of a rater's submission, issue 8).
    """
    limiter.exempt(blueprint)
    blueprint.before_request(_refuse_spent_client)
    _GUARDED.add(blueprint.name)


def skip_app_limits(app: Flask) -> None:
    """Keep Flask-Limiter's app-wide before-request check only where it can refuse something.

    That check enforces default, application and meta limits; a route's own `@limiter.limit`
    is enforced by its decorator whether or not the check ran. So with none of those
    configured (this app sets none unless `RATELIMIT_DEFAULT`, `RATELIMIT_APPLICATION` or
    `RATELIMIT_META` is given) the check is dropped, and otherwise it is skipped for the
    guarded blueprints, which are exempt anyway. Finding that nothing applied cost ~5% of a
    rater's submission and of an HR report page (issue 8). Call after `limiter.init_app(app)`.
    """
    hooks = app.before_request_funcs.get(None, [])
    app_wide = any(app.config.get(key) for key in APP_WIDE_LIMITS)
    for index, hook in enumerate(hooks):
        if hook == limiter._check_request_limit:  # noqa: SLF001 - the hook init_app added
            if app_wide:
                hooks[index] = functools.partial(_app_limits_outside_guarded, hook)
            else:
                del hooks[index]
            return


def _app_limits_outside_guarded(check: Callable[[], None]) -> None:
    if request.blueprint not in _GUARDED:
        check()


def count_failure() -> None:
    """This request could not use its link: deduct one from the client's allowance."""
    if limiter.enabled and not g.get("bad_link_counted"):
        g.bad_link_counted = True
        limit = _limit()
        try:
            limiter.limiter.hit(limit, SCOPE, get_remote_address())
        except Exception:  # noqa: BLE001 - storage down: the page answers, the log says why
            current_app.logger.warning("rate limit storage unavailable; failure not counted")


def _refuse_spent_client() -> None:
    if not limiter.enabled:
        return
    limit = _limit()
    try:
        allowed = limiter.limiter.test(limit, SCOPE, get_remote_address())
    except Exception:  # noqa: BLE001 - storage down: serve the page rather than fail a rater
        current_app.logger.warning("rate limit storage unavailable; request not limited")
        return
    if not allowed:
        abort(429)


def _limit() -> RateLimitItem:
    return _parsed(str(current_app.config.get("RATE_BAD_LINK_LIMIT", "20/minute")))


@functools.lru_cache(maxsize=8)
def _parsed(text: str) -> RateLimitItem:
    return parse(text)
