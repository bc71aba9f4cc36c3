"""The languages the product speaks (SPEC §14): each has interface catalogs in
`survey/translations/` and a questionnaire translation (or is the base, English).

A person's `language` is one of these keys, or None for the app's `DEFAULT_LANGUAGE`.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

# Key → the language's own name, as a switcher shows it to someone who reads only that one.
LANGUAGES = {"en": "English", "de": "Deutsch"}
DEFAULT_LANGUAGE = "en"


def normalise_language(value: str) -> str | None:
    """A language key from how HR tools write it: "de", "DE", "de-AT", "de_DE", "Deutsch".

    Returns None for anything the product does not speak (the caller names the problem).
    """
    text = value.strip()
    for key, name in LANGUAGES.items():
        if text.casefold() == name.casefold():
            return key
    key = text.replace("-", "_").split("_", 1)[0].lower()
    return key if key in LANGUAGES else None


def N_(message: str) -> str:  # noqa: N802 (the name `pybabel extract` looks for)
    """Mark a message of pure code for the catalogs; it is translated where it is shown."""
    return message


def unchanged(message: str) -> str:
    """The `words` of a domain function called without translation: the English message."""
    return message


# How a day is written in each language (CLDR patterns for Babel): "Monday 31 March 2025",
# "Montag, 31. März 2025". Times are 24-hour "HH:mm" in both.
DAY_PATTERNS = {"en": "EEEE d MMMM y", "de": "EEEE, d. MMMM y"}
# A day without its weekday (plans, pulses, release dates): "2 March 2027", "2. März 2027".
PLAIN_DAY_PATTERNS = {"en": "d MMMM y", "de": "d. MMMM y"}


def format_day(moment: date, language: str = DEFAULT_LANGUAGE) -> str:
    """A day as people of `language` write it, with the weekday (Babel, CLDR names)."""
    pattern = DAY_PATTERNS.get(language, DAY_PATTERNS[DEFAULT_LANGUAGE])
    return format_date(moment, pattern, locale=language)
