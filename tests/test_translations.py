"""No English left in the second language (SPEC §14): every template of a wrapped folder sends
its words through the catalogs, every message of the catalogs has a German translation, the
committed .mo is compiled from the committed .po, and German pages render without English."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from survey.extensions import db
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


# Names and campaign words of the plan/pulse team (tests/helpers_plans.py), not English UI.
TEAM_NAMES = ("Alice Example", "Carl Coder", "Bob Boss", "Autumn 360", "Peer 1")
# One statement as the subject reads it (questionnaires/de and the English base, "you" form).
GERMAN_STATEMENT = "Sie vertiefen Ihr Fachwissen kontinuierlich."
ENGLISH_STATEMENT = "deepening your expertise"


def english_words(html: str) -> list[str]:
    text = visible_text(html)
    for name in TEAM_NAMES:
        text = text.replace(name, "")
    return ENGLISH.findall(text)


def figures_of(html: str) -> str:
    """Every word of the page's charts (trace names, hover templates, axis titles) as text."""
    found = re.search(r'<script type="application/json" id="report-figures">(.*?)</script>', html)
    assert found, "no figures on the page"
    return json.dumps(json.loads(found.group(1)), ensure_ascii=False).replace("\u00ad", "")


def test_a_german_subject_reads_report_plan_and_pulse_in_german_and_hr_in_their_own(
    app: Flask, runner: FlaskCliRunner, outbox: Path
) -> None:
    """Alice (language de) reads her report, its print and her plan in German, statements from
    the snapshot's German translation; a German peer answers the pulse in German; HR reads the
    same report, the organisation view and the pulse pages in HR's own language (English, or
    German from the browser)."""
    from survey.models import Person
    from tests.helpers_plans import launch_pulse, mails_to, pulse_links, released_team, write_plan
    from tests.test_pulse import signed_in

    with app.app_context():
        team = released_team()
        for email in ("alice@example.test", "peer1@example.test"):
            db.session.scalars(db.select(Person).filter_by(email=email)).one().language = "de"
        make_hr_user()
        db.session.commit()
    report_path = f"/reports/{team.campaign_id}/{team.alice}"
    with app.app_context():
        from survey.services.accounts import ensure_subject_users, issue_link_token

        (user,) = ensure_subject_users(
            [db.session.scalars(db.select(Person).filter_by(email="alice@example.test")).one()]
        )
        token = issue_link_token(user, "sign_in", datetime.now(UTC))
        db.session.commit()
    sign_in_page = app.test_client().get(f"/link/{token}").get_data(as_text=True)
    assert '<html lang="de">' in sign_in_page and english_words(sign_in_page) == []
    alice = signed_in(app, "alice@example.test")

    report = alice.get(report_path).get_data(as_text=True)
    assert '<html lang="de">' in report
    assert "Ihr 360°-Feedbackbericht" in report
    # Statements in the German "Sie" wording of the campaign's snapshot, not the English "you".
    assert GERMAN_STATEMENT in report and ENGLISH_STATEMENT not in report
    assert english_words(report) == []
    figures = figures_of(report)
    assert "Selbsteinschätzung" in figures and "Alle anderen" in figures
    assert "not shown" not in figures and "Organisation norm" not in figures

    german_plan = "Wöchentliche Vorführung selbst leiten; Dana um Rückmeldung bitten"
    assert write_plan(alice, team.alice, ["area:results"], actions=german_plan).status_code == 303
    plan = alice.get(f"/plans/{team.alice}").get_data(as_text=True)
    assert '<html lang="de">' in plan and "Entwicklungsplan" in plan
    assert english_words(plan) == []

    pulse_id = launch_pulse(runner, team.campaign_id)
    (invitation,) = mails_to(outbox, "peer1@example.test")
    assert "Fortschritts-Check" in str(invitation["Subject"])
    assert english_words(re.sub(r"https?://\S+", "", text_of(invitation))) == []
    assert "31. Januar 2099" in text_of(invitation)

    peer = app.test_client()
    link = pulse_links(outbox)["peer1@example.test"]
    home = peer.get(link).get_data(as_text=True)
    assert '<html lang="de">' in home and english_words(home) == []
    match = re.search(rf'href="({re.escape(link)}/\d+)">', home)
    assert match, home
    questions = peer.get(match.group(1)).get_data(as_text=True)
    assert "Ist Alice Example seit dem" in questions and "Deutlich wirksamer" in questions
    assert english_words(questions) == []

    hr = app.test_client()
    AuthActions(hr).sign_in()
    german = {"Accept-Language": "de-DE,de;q=0.9"}
    for path in (
        report_path,
        f"/admin/pulses/{pulse_id}",
        f"/admin/campaigns/{team.campaign_id}/pulses",
        "/reports/organisation",
        f"/reports/organisation/{team.campaign_id}",
    ):
        page = hr.get(path, headers=german).get_data(as_text=True)
        assert '<html lang="de">' in page, path
        assert english_words(page) == [], path
    erase_page = hr.get("/admin/people/erase", headers=german)
    plan = hr.post(
        "/admin/people/erase",
        data={"csrf_token": csrf_token(erase_page), "email": "carl@example.test"},
        headers=german,
    ).get_data(as_text=True)
    assert "als bewertete Person in Feedbackrunde" in plan  # the erasure plan, worded for HR
    assert english_words(plan) == []
    in_english = hr.get(report_path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en">' in in_english
    assert "360° feedback report: Alice Example" in in_english
    assert "Ihr" not in visible_text(in_english)

    closed = runner.invoke(args=["pulse", "close", str(pulse_id)])
    assert closed.exit_code == 0, closed.output
    results = mails_to(outbox, "alice@example.test")[-1]
    assert "Ergebnisse Ihres Fortschritts-Checks" in str(results["Subject"])
    assert english_words(re.sub(r"https?://\S+", "", text_of(results))) == []
    plan = alice.get(f"/plans/{team.alice}").get_data(as_text=True)
    assert "Ergebnisse des Fortschritts-Checks" in plan and english_words(plan) == []


def test_dates_on_pages_are_written_in_the_page_language(app: Flask) -> None:
    from datetime import date

    from survey.i18n import in_language
    from survey.templating import format_local, format_plain_day

    moment = datetime(2025, 3, 31, 12, 5, tzinfo=UTC)
    with app.test_request_context(), in_language("de"):
        assert format_plain_day(date(2027, 3, 2)) == "2. März 2027"
        assert (
            format_local(moment, "Europe/Berlin", "medium") == "31.03.2025, 14:05 (Europe/Berlin)"
        )
        assert (
            format_local(moment, "Europe/Berlin") == "Montag, 31. März 2025, 14:05 (Europe/Berlin)"
        )
    with app.test_request_context(), in_language("en"):
        assert format_plain_day(date(2027, 3, 2)) == "2 March 2027"
        assert (
            format_local(moment, "Europe/Berlin") == "Monday 31 March 2025, 14:05 (Europe/Berlin)"
        )
