"""Languages of the interface (SPEC §14): Flask-Babel's set-up and the language of a request.

Catalogs live in `survey/translations/<lang>/LC_MESSAGES/messages.po`, compiled to `.mo`
beside them (committed, see the README's translator's note). Templates, views, forms and
e-mails call `gettext`/`_` and `ngettext`; lazy strings (`lazy_gettext`) serve form labels and
module-level tables, which are worded when shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import flask_babel
from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import force_locale, get_locale, refresh

from survey.domain.languages import DEFAULT_LANGUAGE, LANGUAGES
from survey.extensions import babel

SESSION_KEY = "language"  # a rater's choice on the page (the switcher), for this browser


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with our locale selector; templates (and the macros they import) get
    `current_language()` and `LANGUAGES`."""
    babel.init_app(
        app, default_locale=app.config["DEFAULT_LANGUAGE"], locale_selector=select_language
    )
    app.jinja_env.globals.update(current_language=current_language, LANGUAGES=LANGUAGES)


def select_language() -> str:
    """The language of this request, first that applies: the page's own (`use_language`, a
    rater's), the signed-in person's, the browser's Accept-Language, `DEFAULT_LANGUAGE`."""
    chosen = g.get("language")
    if chosen in LANGUAGES:
        return str(chosen)
    person_language = _signed_in_language()
    if person_language in LANGUAGES:
        return str(person_language)
    if has_request_context():
        best = request.accept_languages.best_match(list(LANGUAGES))
        if best:
            return best
    return str(current_app.config["DEFAULT_LANGUAGE"])


def _signed_in_language() -> str | None:
    from flask_login import current_user

    if not has_request_context() or not current_user.is_authenticated:
        return None
    person = getattr(current_user, "person", None)
    return person.language if person is not None else None


def use_language(language: str | None) -> None:
    """Make `language` this request's language (a rater page: the switcher's choice, else the
    rater's own); None or an unknown one falls back as `select_language` says."""
    g.language = language if language in LANGUAGES else None
    refresh()


def rater_language(person_language: str | None) -> str:
    """A rater's language on their pages: the switcher's choice, else their own, else default."""
    chosen = session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return str(chosen)
    if person_language in LANGUAGES:
        return str(person_language)
    return str(current_app.config["DEFAULT_LANGUAGE"])


def choose_language(language: str) -> bool:
    """Remember a rater's switcher choice in the signed session; False for an unknown one."""
    if language not in LANGUAGES:
        return False
    session[SESSION_KEY] = language
    return True


def current_language() -> str:
    """The language key of the current request or `in_language` block ("en", "de"); the
    default language outside an application (pure chart or wording code)."""
    if not has_app_context():
        return DEFAULT_LANGUAGE
    locale = get_locale()
    return locale.language if locale is not None else str(current_app.config["DEFAULT_LANGUAGE"])


@contextmanager
def in_language(language: str | None) -> Iterator[str]:
    """Word everything inside (an e-mail to one person) in `language`, else DEFAULT_LANGUAGE."""
    chosen = language if language in LANGUAGES else current_app.config["DEFAULT_LANGUAGE"]
    with force_locale(chosen):
        yield str(chosen)


def gettext(message: str, **variables: Any) -> str:
    """Flask-Babel's gettext, typed: `message` in the current language, %(name)s filled in."""
    return str(flask_babel.gettext(message, **variables))


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """Flask-Babel's ngettext, typed: the form for `num` (also available as %(num)d)."""
    return str(flask_babel.ngettext(singular, plural, num, **variables))


def lazy_gettext(message: str, **variables: Any) -> Any:
    """A message worded only when shown (form labels, tables built at import)."""
    return flask_babel.lazy_gettext(message, **variables)
