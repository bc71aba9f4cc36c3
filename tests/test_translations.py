"""No English left in the second language (SPEC §14): every template of a wrapped folder sends
its words through the catalogs, every message of the catalogs has a German translation, the
committed .mo is compiled from the committed .po, and German pages render without English."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.factories import make_hr_user
from tests.helpers_campaigns import AuthActions, csrf_token, make_org, read_outbox, text_of
from tests.test_languages import ORG, invitation_url, launch, rater_links

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "survey" / "templates"
CATALOG = ROOT / "survey" / "translations" / "de" / "LC_MESSAGES"

# Template folders (and top-level files) whose words go through gettext. Adding a folder is a
# one-line change: move it from PENDING to WRAPPED, and this test checks it like the others.
WRAPPED = [
    "base.html",
    "error.html",
    "admin",
    "auth",
    "mail",
    "main",
    "nominate",
    "plans",
    "privacy",
    "pulse",
    "questionnaires",
    "rate",
    "reports",
]
# Folders still English only, named so nothing is skipped silently (none since the second
# pass wrapped the report, plan and pulse pages).
PENDING: list[str] = []

# Words that may stand outside gettext in a template: names of things, not English.
ALLOWED = {"k", "CSV", "TOML", "OK", "id", "UTC"}
# English words that never appear in German text, for the rendered pages.
ENGLISH = re.compile(
    r"\b(the|your|you|and|of|to|is|are|this|with|not|which|will|have|has|been|who|what|"
    r"when|please|save|submit|draft|answers|request|link)\b"
)


def template_files(entry: str) -> list[Path]:
    path = TEMPLATES / entry
    return [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())


def untranslated_words(source: str) -> list[str]:
    """Words of a template that do not go through gettext: text outside tags, Jinja and
    {% trans %} blocks, and literal aria-label/title/placeholder/alt/data-label values."""
    text = re.sub(r"\{#.*?#\}", " ", source, flags=re.S)
    text = re.sub(r"\{% block body_class %\}.*?\{% endblock %\}", " ", text)  # CSS classes
    text = re.sub(r"\{%-?\s*trans\b.*?endtrans\s*-?%\}", " ", text, flags=re.S)
    attributes = re.findall(r'(?:aria-label|title|placeholder|alt|data-label)="([^"{]*)"', text)
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", text, flags=re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]*>", " ", text, flags=re.S)
    words = re.findall(r"[A-Za-z][A-Za-z'’-]+", text + " " + " ".join(attributes))
    return [word for word in words if word not in ALLOWED]


def test_every_template_folder_is_either_wrapped_or_named_as_pending() -> None:
    entries = {p.name for p in TEMPLATES.iterdir()}
    assert entries == set(WRAPPED) | set(PENDING)
    assert not set(WRAPPED) & set(PENDING)


@pytest.mark.parametrize("entry", WRAPPED)
def test_wrapped_templates_leave_no_words_outside_gettext(entry: str) -> None:
    found = {
        str(path.relative_to(TEMPLATES)): words
        for path in template_files(entry)
        if (words := untranslated_words(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_check_finds_a_bare_word_and_a_bare_label() -> None:
    assert untranslated_words('<p>Hello {{ name }}</p><a aria-label="Close">x</a>') == [
        "Hello",
        "Close",
    ]
    assert untranslated_words("<p>{{ _('Hello') }} {% trans %}Hi {{ n }}{% endtrans %}</p>") == []


def test_every_message_has_a_german_translation() -> None:
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "N_": None}
    method_map = [
        ("survey/**.py", "python"),
        ("survey/templates/**.html", "jinja2"),
        ("survey/templates/**.txt", "jinja2"),
    ]
    extracted = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT, method_map, keywords=keywords
        )
    }
    with (CATALOG / "messages.po").open("rb") as po:
        catalog = read_po(po, locale="de")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else [m.string])
    }
    assert len(extracted) > 500
    assert sorted(extracted - translated) == []


def test_the_committed_mo_is_compiled_from_the_committed_po() -> None:
    with (CATALOG / "messages.po").open("rb") as po:
        catalog = read_po(po, locale="de")
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    with (CATALOG / "messages.mo").open("rb") as mo:
        committed = read_mo(mo)
    fresh = read_mo(compiled)

    def pairs(catalog: object) -> dict[object, object]:
        return {
            str(m.id): m.string if isinstance(m.string, str) else tuple(m.string)
            for m in catalog  # type: ignore[attr-defined]
            if m.id
        }

    assert pairs(committed) == pairs(fresh)


def visible_text(html: str) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", text))


def test_german_rater_pages_and_mail_have_no_english_words(
    runner: FlaskCliRunner, app: Flask, client: FlaskClient, tmp_path: Path, outbox: Path
) -> None:
    launch(runner, tmp_path)
    isa = next(m for m in read_outbox(outbox) if m["To"] == "isa@acme.test")
    assert ENGLISH.findall(text_of(isa).replace("Frühjahr 360", "")) == []
    token = rater_links(outbox)["isa@acme.test"]
    url = invitation_url(client, token)
    pages = [client.get(f"/r/{token}"), client.get(url), client.get(url + "/decline")]
    page = pages[1]
    refused = client.post(url, data={"csrf_token": csrf_token(page), "action": "submit"})
    assert refused.status_code == 422  # nothing answered: the messages are German too
    pages.append(refused)
    pages.append(client.get("/r/not-a-token", headers={"Accept-Language": "de"}))  # no rater
    for response in pages:
        assert '<html lang="de">' in response.text
        words = ENGLISH.findall(visible_text(response.text).replace("Frühjahr 360", ""))
        assert words == [], response.request.path


def test_german_hr_pages_follow_the_browser_language(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_hr_user()
        make_org()
    german = {"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}
    pages = {
        "/": client.get("/", headers=german),
        "/sign-in": client.get("/sign-in", headers=german),
    }
    AuthActions(client).sign_in()
    for path in ("/admin/campaigns", "/admin/people", "/admin/campaigns/new"):
        pages[path] = client.get(path, headers=german)
    for path, response in pages.items():
        assert '<html lang="de">' in response.text
        assert ENGLISH.findall(visible_text(response.text)) == [], path


def test_org_csv_column_is_documented_for_the_import(app: Flask) -> None:
    assert b"language" in ORG.splitlines()[0]
