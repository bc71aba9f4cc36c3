"""Speaking the rater's language (SPEC §14): a German rater imported with `language=de` gets
German e-mails, pages and questionnaire; an English rater about the same subject answers the
same keys, so both land in the same report cells."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from survey.cli_questionnaire import questionnaire_cli
from survey.extensions import db
from survey.models import Campaign, Person
from tests.factories import make_hr_user
from tests.helpers_campaigns import (
    AuthActions,
    csrf_token,
    link_token,
    make_org,
    read_outbox,
    text_of,
)

# Tom Lead has two direct reports: Isa reads German, Eva English (no language: the default).
ORG = b"""email,name,level,manager_email,team,language
ceo@acme.test,Carla Ceo,business_leader,,Exec,
tom@acme.test,Tom Lead,team_leader,ceo@acme.test,Ops,
isa@acme.test,Isa Vier,individual_contributor,tom@acme.test,Ops,de
eva@acme.test,Eva Five,individual_contributor,tom@acme.test,Ops,
"""


def launch(runner: FlaskCliRunner, tmp_path: Path) -> None:
    """Import the org, create a campaign about Tom with k = 2, and launch it."""
    org = tmp_path / "org.csv"
    org.write_bytes(ORG)
    assert runner.invoke(args=["org", "import", str(org)]).exit_code == 0
    created = runner.invoke(
        args=[
            "campaign",
            "create",
            "Frühjahr 360",
            "--deadline",
            "2099-03-31",
            "--timezone",
            "Europe/Berlin",
            "--subject",
            "tom@acme.test",
            "--min-raters",
            "2",
        ]
    )
    assert created.exit_code == 0, created.output
    assert runner.invoke(args=["campaign", "launch", "1"]).exit_code == 0


def shown_questionnaire(locale: str | None) -> dict[str, object]:
    """What `questionnaire show team_leader --group direct_reports` prints as JSON."""
    args = [
        "show",
        "team_leader",
        "--group",
        "direct_reports",
        "--format",
        "json",
        "--name",
        "Tom Lead",
    ]
    result = CliRunner().invoke(questionnaire_cli, args + (["--locale", locale] if locale else []))
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def item_texts(data: dict[str, object]) -> list[str]:
    return [item["text"] for area in data["areas"] for item in area["items"]]  # type: ignore[attr-defined,index]


def item_keys(data: dict[str, object]) -> list[str]:
    return [item["key"] for area in data["areas"] for item in area["items"]]  # type: ignore[attr-defined,index]


def rater_links(outbox: Path) -> dict[str, str]:
    return {str(message["To"]): link_token(message) for message in read_outbox(outbox)}


def invitation_url(client: FlaskClient, token: str) -> str:
    home = client.get(f"/r/{token}")
    match = re.search(rf'href="(/r/{re.escape(token)}/\d+)"', home.text)
    assert match, home.text
    return match.group(1)


def submit_all(client: FlaskClient, url: str, keys: list[str], value: str, comment: str) -> None:
    page = client.get(url)
    data = {"csrf_token": csrf_token(page), "action": "submit", "comment-keep_doing": comment}
    data |= {key: value for key in keys}
    assert client.post(url, data=data).status_code == 303


def test_german_rater_gets_german_mail_pages_and_the_shown_questionnaire(
    runner: FlaskCliRunner, app: Flask, client: FlaskClient, tmp_path: Path, outbox: Path
) -> None:
    launch(runner, tmp_path)
    mails = {str(m["To"]): m for m in read_outbox(outbox)}
    isa, eva = mails["isa@acme.test"], mails["eva@acme.test"]
    assert isa["Subject"] == "Ihr Feedback ist gefragt: Frühjahr 360"
    assert "Hallo Isa Vier," in text_of(isa)
    assert "Tom Lead (als Mitglied des Teams)" in text_of(isa)
    assert "Bitte antworten Sie bis Dienstag, 31. März 2099, 23:59 (Europe/Berlin)." in text_of(isa)
    assert eva["Subject"] == "Your feedback is requested: Frühjahr 360"
    assert "Please answer by Tuesday 31 March 2099, 23:59 (Europe/Berlin)." in text_of(eva)

    with app.app_context():  # the launched snapshot keeps every language (SPEC §14)
        snapshot = db.session.get(Campaign, 1).questionnaire_snapshot  # type: ignore[union-attr]
        assert sorted(snapshot["translations"]) == ["de"]

    token = link_token(isa)
    home = client.get(f"/r/{token}")
    assert '<html lang="de">' in home.text
    assert "<h1>Ihre Feedback-Anfragen</h1>" in home.text
    form = client.get(invitation_url(client, token)).text
    assert '<html lang="de">' in form
    german = shown_questionnaire("de")
    for text in item_texts(german):
        assert text in form
    assert "Tom Lead richtet das Team konsequent darauf aus" in form
    assert ">Kann ich nicht beurteilen<" in form and ">Immer<" in form
    assert "Antworten abschicken" in form and "Submit answers" not in form


def test_a_german_and_an_english_rater_land_in_the_same_report_cells(
    runner: FlaskCliRunner, app: Flask, tmp_path: Path, outbox: Path
) -> None:
    launch(runner, tmp_path)
    links = rater_links(outbox)
    keys = item_keys(shown_questionnaire("de"))
    assert keys == item_keys(shown_questionnaire(None))  # one set of keys, two wordings
    german, english = app.test_client(), app.test_client()
    submit_all(german, invitation_url(german, links["isa@acme.test"]), keys, "4", "Sehr klar.")
    submit_all(english, invitation_url(english, links["eva@acme.test"]), keys, "2", "Clear.")
    assert runner.invoke(args=["campaign", "close", "1"]).exit_code == 0
    result = runner.invoke(
        args=["report", "--campaign", "1", "--subject", "tom@acme.test", "--format", "json"]
    )
    report = json.loads(result.stdout)
    cells = [c for c in report["item_scores"] if c["group"] == "direct_reports"]
    # (4 + 2) / 2 = 3.00 from n = 2: one cell per item, pooled across both languages
    assert sorted(c["item"] for c in cells) == sorted(keys)
    assert {(c["score"], c["n"]) for c in cells} == {(3.0, 2)}
    comments = {c["text"] for c in report["comments"] if c["group"] == "direct_reports"}
    assert comments == {"Sehr klar.", "Clear."}


def test_the_switcher_in_the_form_keeps_the_draft(
    runner: FlaskCliRunner, app: Flask, client: FlaskClient, tmp_path: Path, outbox: Path
) -> None:
    launch(runner, tmp_path)
    url = invitation_url(client, rater_links(outbox)["eva@acme.test"])
    page = client.get(url)
    assert '<html lang="en">' in page.text and 'value="language-de"' in page.text
    data = {
        "csrf_token": csrf_token(page),
        "action": "language-de",
        "tl_delegates": "5",
        "comment-stop_doing": "Weniger Meetings.",
    }
    switched = client.post(url, data=data)
    assert switched.status_code == 303 and switched.headers["Location"].endswith(url)
    again = client.get(url).text
    assert '<html lang="de">' in again
    assert 'checked id="tl_delegates-4"' in again  # "5" is the fifth option (index 4)
    assert "Weniger Meetings.</textarea>" in again
    home = client.get(url.rsplit("/", 1)[0]).text  # the choice holds on every page of the link
    assert "Entwurf gespeichert" in home


def test_the_switcher_outside_the_form_returns_to_the_same_page_only_on_this_link(
    runner: FlaskCliRunner, app: Flask, client: FlaskClient, tmp_path: Path, outbox: Path
) -> None:
    launch(runner, tmp_path)
    token = rater_links(outbox)["isa@acme.test"]
    home = client.get(f"/r/{token}")
    data = {"csrf_token": csrf_token(home), "language": "en", "next": "https://evil.example/"}
    moved = client.post(f"/r/{token}/language", data=data)
    assert moved.headers["Location"].endswith(f"/r/{token}")  # never off this link's pages
    assert '<html lang="en">' in client.get(f"/r/{token}").text
    bad = client.post("/r/not-a-token/language", data=data)
    assert bad.status_code == 404


def test_import_names_an_unknown_language_and_a_file_without_the_column_keeps_it(
    runner: FlaskCliRunner, app: Flask, tmp_path: Path
) -> None:
    org = tmp_path / "org.csv"
    org.write_bytes(ORG.replace(b",de\n", b",Klingon\n"))
    refused = runner.invoke(args=["org", "import", str(org)])
    assert refused.exit_code == 1
    assert "line 4: unknown language 'Klingon' (use one of en, de, or leave it empty)" in (
        refused.stderr
    )
    org.write_bytes(ORG.replace(b",de\n", b",DE-at\n"))
    assert runner.invoke(args=["org", "import", str(org)]).exit_code == 0
    org.write_bytes(b"email,name,level,manager_email\nisa@acme.test,Isa Vier,ic,tom@acme.test\n")
    assert runner.invoke(args=["org", "import", str(org)]).exit_code == 0
    with app.app_context():
        isa = db.session.scalars(select(Person).where(Person.email == "isa@acme.test")).one()
        assert isa.language == "de"


def test_check_names_the_key_and_locale_a_translation_misses(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parents[1] / "questionnaires"
    folder = tmp_path / "q"
    folder.mkdir()
    for path in shipped.rglob("*.toml"):
        target = folder / path.relative_to(shipped)
        target.parent.mkdir(exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    german = folder / "de" / "team_leader.toml"
    text = german.read_text(encoding="utf-8")
    start = text.index("[items.tl_delegates]")
    german.write_text(text[:start] + text[text.index("[items.", start + 1) :], encoding="utf-8")
    result = CliRunner().invoke(questionnaire_cli, ["check", "--dir", str(folder)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "de/team_leader.toml: tl_delegates: missing de translation of item 'tl_delegates'",
        "questionnaires invalid: 1 problem(s)",
    ]


def test_show_refuses_a_locale_without_a_translation() -> None:
    result = CliRunner().invoke(
        questionnaire_cli, ["show", "team_leader", "--group", "peers", "--locale", "fi"]
    )
    assert result.exit_code == 1
    assert "no 'fi' translation; the content has: en, de" in result.stderr


def test_show_without_a_name_says_this_person_in_the_locale() -> None:
    """Without --name the stand-in is in the questionnaire's language, not English in German."""

    def first_item(locale: list[str]) -> str:
        args = ["show", "team_leader", "--group", "peers", "--format", "json", *locale]
        result = CliRunner().invoke(questionnaire_cli, args)
        assert result.exit_code == 0, result.output
        return item_texts(json.loads(result.stdout))[0]

    german = first_item(["--locale", "de"])
    assert german.startswith("diese Person richtet das Team") and "this person" not in german
    assert first_item([]).startswith("this person keeps the team")


def test_hr_sets_a_persons_language_on_the_people_page(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_hr_user()
        make_org()
    auth = AuthActions(client)
    auth.sign_in()
    page = client.get("/admin/people")
    assert '<th scope="col">Language</th>' in page.text
    data = {"email": "IC2@acme.test", "language": "de"}
    saved = auth.post_form("/admin/people", "/admin/people/language", data)
    assert saved.status_code == 302
    after = client.get("/admin/people").text
    assert "Language of Ivy Two saved." in after
    assert '<td data-label="Language">Deutsch</td>' in after
    unknown = auth.post_form("/admin/people", "/admin/people/language", {"email": "x@acme.test"})
    assert unknown.status_code == 302
    assert "No one with the e-mail &#39;x@acme.test&#39; is in the org chart." in (
        client.get("/admin/people").text
    )
    with app.app_context():
        ivy = db.session.scalars(select(Person).where(Person.email == "ic2@acme.test")).one()
        assert ivy.language == "de"
