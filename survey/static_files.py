"""Static files: served by WhiteNoise, gzip-compressed when the browser accepts it, cached a year.

Every URL the app renders for a static file carries a hash of the file's content
(`/static/js/plotly.min.js?v=<hash>`, see `survey.templating`), so a changed file gets a new URL
and a browser may keep the old one for a year without asking again. The compressed copies are
the `.gz` files beside each file in `survey/static/`, written by WhiteNoise's own tool:

    python -m whitenoise.compress --no-brotli survey/static

(`tests/test_static_files.py` fails when a `.gz` no longer matches its file.) WhiteNoise picks
the `.gz` when the request says `Accept-Encoding: gzip` and adds `Vary: Accept-Encoding`.
"""

from __future__ import annotations

from wsgiref.headers import Headers

from flask import Flask
from whitenoise import WhiteNoise

from survey.security import STATIC_HEADERS

CACHE_SECONDS = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    """Serve `app.static_folder` at `app.static_url_path` through WhiteNoise, ahead of Flask."""
    app.wsgi_app = WhiteNoise(  # type: ignore[method-assign]
        app.wsgi_app,
        root=app.static_folder,
        prefix=app.static_url_path,
        max_age=CACHE_SECONDS,
        autorefresh=app.debug,
        add_headers_function=_add_headers,
    )


def _add_headers(headers: Headers, path: str, url: str) -> None:
    """The headers every response of the app carries that matter for a file (nosniff, ...)."""
    for name, value in STATIC_HEADERS:
        headers[name] = value
