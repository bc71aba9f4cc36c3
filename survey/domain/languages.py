"""The languages the product speaks (SPEC §14): each has interface catalogs in
`survey/translations/` and a questionnaire translation (or is the base, English).

A person's `language` is one of these keys, or None for the app's `DEFAULT_LANGUAGE`.
"""

from __future__ import annotations

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
