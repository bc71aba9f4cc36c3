"""The questionnaire editor through the client like HR and a rater (issue 21): generate a set
from a document, edit, preview, save versions, launch a campaign on it, edit after launch."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from survey.domain.questionnaire import load_content
from survey.extensions import db
from survey.models import Answer, Campaign, Invitation, Person, Rater, Subject, utcnow
from survey.models_questionnaire_sets import QuestionnaireSet
from survey.services.accounts import SIGN_IN, issue_link_token
from tests.factories import make_hr_user, make_person, make_subject_user
from tests.helpers_campaigns import AuthActions, csrf_token, link_token, make_org, read_outbox

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "leadership-levels.txt"
ITEM = "tl_delegates_work_avoids_becoming"  # "Delegates work and avoids becoming a bottleneck."
EDITED = "{name} hands whole tasks to the team and never becomes a bottleneck."
AFTER_LAUNCH = "{name} delegates everything, always."


class Editor(AuthActions):
    """HR driving the questionnaire pages."""

    def upload(self, name: str, document: bytes, filename: str = "levels.txt") -> TestResponse:
        token = csrf_token(self.client.get("/admin/questionnaires/"))
        data = {"csrf_token": token, "name": name, "document": (io.BytesIO(document), filename)}
        return self.client.post(
            "/admin/questionnaires/new", data=data, content_type="multipart/form-data"
        )

    def edit_item(self, set_id: int, key: str, **changes: object) -> TestResponse:
        page = f"/admin/questionnaires/{set_id}/items/{key}"
        form = self.client.get(page).text
        data: dict[str, object] = {
            "self_text": _textarea(form, "self_text"),
            "other_text": _textarea(form, "other_text"),
            "you_text": _textarea(form, "you_text"),
            "behaviour": _textarea(form, "behaviour"),
            "area": _selected(form, "area"),
            "observers": re.findall(r'checked id="observers-\d" name="observers"[^>]*'
                                    r'value="([a-z_]+)"', form)
            or ["self", "manager", "peers", "direct_reports"],
            **changes,
        }
        return self.post_form(page, page, data)

    def save(self, set_id: int) -> TestResponse:
        page = f"/admin/questionnaires/{set_id}"
        return self.post_form(page, f"{page}/save", {})


def _textarea(html: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\n?(.*?)</textarea>', html, re.S)
    assert match, name
    return match.group(1).replace("&#39;", "'").replace("&#34;", '"').replace("&amp;", "&")


def _selected(html: str, name: str) -> str:
    select_html = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
    assert select_html
    match = re.search(r'<option selected value="([^"]+)"', select_html.group(0))
    assert match
    return match.group(1)


@pytest.fixture
def hr(app: Flask, client: FlaskClient) -> Iterator[Editor]:
    with app.app_context():
        make_hr_user()
        make_org()
    editor = Editor(client)
    editor.sign_in()
    yield editor


def _set_id(app: Flask, name: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(QuestionnaireSet).filter_by(name=name))
        assert found is not None
        return found.id


def test_upload_edit_preview_save_launch_and_edit_after_launch(
    app: Flask, hr: Editor, outbox: Path
) -> None:
    client = hr.client
    uploaded = hr.upload("Acme levels", EXAMPLE.read_bytes(), "leadership-levels.txt")
    assert uploaded.status_code == 302
    overview = client.get(uploaded.location).text
    assert "Draft “Acme levels” generated" in overview and "unsaved changes" in overview
    assert "I delegate work and avoid becoming a bottleneck." in overview
    set_id = _set_id(app, "Acme levels")

    edited = hr.edit_item(set_id, ITEM, other_text=EDITED, area="delegation")
    assert edited.location.endswith(f"/admin/questionnaires/{set_id}#item-{ITEM}")
    assert "Item saved to the draft." in client.get(edited.location).text

    preview = client.get(f"/admin/questionnaires/{set_id}/preview?level=team_leader&group=peers")
    assert preview.status_code == 200
    assert EDITED.replace("{name}", "Alex Example") in preview.text
    assert f'name="{ITEM}"' in preview.text and 'name="comment-keep_doing"' in preview.text
    assert "Nothing here is saved or sent" in preview.text
    assert 'method="post"' not in preview.text.split('id="preview-form"')[1]

    saved = hr.save(set_id)
    assert "Saved as version 1." in client.get(saved.location).text

    campaign_id = _create_campaign(hr, set_id)
    dashboard = client.get(f"/admin/campaigns/{campaign_id}").text
    assert "Questionnaire: Acme levels (latest version)" in dashboard
    launched = hr.post_form(
        f"/admin/campaigns/{campaign_id}/launch", f"/admin/campaigns/{campaign_id}/launch", {}
    )
    assert "Campaign launched" in client.get(launched.location).text
    assert "Questionnaire: Acme levels, version 1" in client.get(
        f"/admin/campaigns/{campaign_id}").text

    rater = app.test_client()
    page = _peer_page(app, rater, outbox, campaign_id)
    assert EDITED.replace("{name}", "Tina Lead") in page

    hr.edit_item(set_id, ITEM, other_text=AFTER_LAUNCH)
    assert "Saved as version 2." in client.get(hr.save(set_id).location).text
    again = _peer_page(app, app.test_client(), outbox, campaign_id)
    assert EDITED.replace("{name}", "Tina Lead") in again
    assert "delegates everything" not in again
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        assert campaign is not None and campaign.questionnaire_version == 1


def _create_campaign(hr: Editor, set_id: int) -> int:
    form = {
        "name": "Autumn 360 on Acme levels",
        "deadline": "2099-10-31",
        "timezone": "Europe/Paris",
        "min_raters": "3",
        "max_peers": "5",
        "questionnaire_set_id": str(set_id),
        "emails": "tl1@acme.test",
    }
    created = hr.post_form("/admin/campaigns/new", "/admin/campaigns/new", form)
    assert created.status_code == 302, created.text
    return int(created.location.rstrip("/").split("/")[-1])


def _peer_page(app: Flask, rater: FlaskClient, outbox: Path, campaign_id: int) -> str:
    """Tom Lead (Tina's peer) opens his e-mailed link and Tina's questionnaire; he answers the
    edited item so its key and area are stored as the set names them."""
    with app.app_context():
        invitation = db.session.scalar(
            select(Invitation)
            .join(Rater, Invitation.rater_id == Rater.id)
            .join(Person, Rater.person_id == Person.id)
            .join(Subject, Invitation.subject_id == Subject.id)
            .where(Person.email == "tl2@acme.test", Subject.campaign_id == campaign_id)
        )
        assert invitation is not None and invitation.rater_group == "peers"
        invitation_id = invitation.id
    mail = next(m for m in read_outbox(outbox) if "tl2@acme.test" in str(m["To"]))
    page = rater.get(f"/r/{link_token(mail)}/{invitation_id}")
    assert page.status_code == 200
    return page.text


def test_the_rater_answer_is_stored_under_the_sets_item_and_area(
    app: Flask, hr: Editor, outbox: Path
) -> None:
    hr.upload("Acme levels", EXAMPLE.read_bytes())
    set_id = _set_id(app, "Acme levels")
    hr.edit_item(set_id, ITEM, area="delegation")
    hr.save(set_id)
    campaign_id = _create_campaign(hr, set_id)
    settings = hr.client.get(f"/admin/campaigns/{campaign_id}/edit").text
    assert _selected(settings, "questionnaire_set_id") == str(set_id)
    hr.post_form(
        f"/admin/campaigns/{campaign_id}/launch", f"/admin/campaigns/{campaign_id}/launch", {}
    )
    rater = app.test_client()
    page = _peer_page(app, rater, outbox, campaign_id)
    url = re.search(r'data-local-key="([^"]+)"', page)
    assert url
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token
    sent = rater.post(url.group(1), data={"csrf_token": token.group(1), ITEM: "4",
                                          "action": "submit"})
    assert sent.status_code == 303  # Post/Redirect/Get
    with app.app_context():
        answer = db.session.scalar(select(Answer).where(Answer.item == ITEM))
        assert answer is not None and (answer.area, answer.value) == ("delegation", 4)


def test_a_bad_document_gets_a_readable_error_naming_the_line(hr: Editor) -> None:
    response = hr.upload("Notes", b"Our notes\n\n- first thought\n- second thought\n")
    assert response.status_code == 422
    assert "Line 3:" in response.text and "the bullet “first thought” is under no heading" in (
        response.text.replace("&#34;", '"')
    )
    assert "This is not a levels document yet" in response.text
    assert "Notes" not in hr.client.get("/admin/questionnaires/").text.split("Sets")[1].split(
        "New set")[0]


def test_a_document_that_is_not_utf8_is_refused_in_words(hr: Editor) -> None:
    response = hr.upload("Latin", "## IC\n- Café.\n".encode("latin-1"))
    assert response.status_code == 422 and "not UTF-8 text" in response.text


def test_pasted_document_and_taken_name(hr: Editor, app: Flask) -> None:
    page = "/admin/questionnaires/"
    text = EXAMPLE.read_text(encoding="utf-8")
    first = hr.post_form(page, "/admin/questionnaires/new", {"name": "", "text": text})
    assert first.status_code == 302
    title = "Become a Leader – What leaders and managers actually do?"
    assert _set_id(app, title)
    taken = hr.post_form(page, "/admin/questionnaires/new", {"name": title, "text": text})
    assert taken.status_code == 422 and "There is already a questionnaire set named" in taken.text
    empty = hr.post_form(page, "/admin/questionnaires/new", {"name": "X", "text": "  "})
    assert empty.status_code == 422 and "Choose a file or paste the document" in empty.text


def test_an_invalid_edit_is_kept_in_the_draft_with_the_check_message(
    hr: Editor, app: Flask
) -> None:
    hr.upload("Acme levels", EXAMPLE.read_bytes())
    set_id = _set_id(app, "Acme levels")
    response = hr.edit_item(set_id, ITEM, other_text="Someone delegates.")
    assert response.location.endswith(f"/items/{ITEM}")
    item_page = hr.client.get(response.location).text
    message = f"team_leader.toml: {ITEM}: other wording must contain {{name}}"
    assert message in item_page and "Someone delegates." in item_page
    refused = hr.save(set_id)
    overview = hr.client.get(refused.location).text
    assert "Not saved: 1 problem(s) to fix" in overview and message in overview
    with app.app_context():
        assert db.session.get(QuestionnaireSet, set_id).versions == []  # type: ignore[union-attr]


def test_an_item_the_rules_could_not_word_blocks_saving_until_written(
    hr: Editor, app: Flask
) -> None:
    document = EXAMPLE.read_text(encoding="utf-8").replace(
        "Uses existing tools and processes.", "Responsible for the tools."
    )
    hr.upload("Acme levels", document.encode())
    set_id = _set_id(app, "Acme levels")
    overview = hr.client.get(f"/admin/questionnaires/{set_id}").text
    assert "Items to word by hand (1)" in overview and "does not start with a verb" in overview
    refused = hr.save(set_id)
    assert "still need wording by hand" in hr.client.get(refused.location).text
    key = "ic_responsible_tools"
    hr.edit_item(set_id, key, self_text="I look after the tools.",
                 other_text="{name} looks after the tools.", you_text="You look after the tools.")
    saved = hr.save(set_id)
    assert "Saved as version 1." in hr.client.get(saved.location).text


def test_areas_and_open_questions_are_edited_and_bad_keys_refused(
    hr: Editor, app: Flask
) -> None:
    hr.upload("Acme levels", EXAMPLE.read_bytes())
    set_id = _set_id(app, "Acme levels")
    page = f"/admin/questionnaires/{set_id}/areas"
    html = hr.client.get(page).text
    rows = len(re.findall(r'name="areas-\d+-key"', html))
    data: dict[str, object] = {}
    for index in range(rows):
        data[f"areas-{index}-key"] = re.findall(r'name="areas-\d+-key" type="hidden" '
                                                r'value="([a-z_]+)"', html)[index]
        data[f"areas-{index}-title"] = f"Area {index}"
        data[f"areas-{index}-description"] = "A description."
        data[f"areas-{index}-order"] = str(rows - index)
    bad = hr.post_form(page, page, {**data, "new_key": "Bad Key", "new_title": "X"})
    assert bad.status_code == 422 and "must be lower case letters" in bad.text
    good = hr.post_form(page, page, {**data, "new_key": "wellbeing", "new_title": "Wellbeing",
                                     "new_description": "Looks after people's health."})
    overview = hr.client.get(good.location).text
    assert "Areas saved to the draft." in overview
    assert overview.index("Area 1<") < overview.index("Area 0<") < overview.index("Wellbeing")

    questions = f"/admin/questionnaires/{set_id}/questions"
    html = hr.client.get(questions).text
    keys = re.findall(r'name="questions-\d+-key" type="hidden" value="([a-z_]+)"', html)
    form: dict[str, object] = {}
    for index, key in enumerate(keys):
        form[f"questions-{index}-key"] = key
        form[f"questions-{index}-self_text"] = "What should I keep doing?"
        form[f"questions-{index}-other_text"] = "What should {name} keep doing?"
        form[f"questions-{index}-you_text"] = ""
    form["questions-0-required"] = "y"
    saved = hr.post_form(questions, questions, form)
    assert "Open questions saved to the draft." in hr.client.get(saved.location).text
    with app.app_context():
        draft = db.session.get(QuestionnaireSet, set_id).draft  # type: ignore[union-attr]
        assert draft["open_questions"][0]["required"] is True
        assert "you" not in draft["open_questions"][1]


def test_export_gives_toml_that_questionnaire_check_loads(
    hr: Editor, app: Flask, tmp_path: Path
) -> None:
    hr.upload("Acme levels", EXAMPLE.read_bytes())
    set_id = _set_id(app, "Acme levels")
    hr.edit_item(set_id, ITEM, other_text=EDITED)
    hr.save(set_id)
    response = hr.client.get(f"/admin/questionnaires/{set_id}/export?version=1")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        archive.extractall(tmp_path)
    content = load_content(tmp_path / "acme-levels-version-1")
    assert content.item_count == 28
    item = next(i for i in content.level("team_leader").items if i.key == ITEM)
    assert item.other_text == EDITED
    built_in = hr.client.get("/admin/questionnaires/built-in/export")
    assert built_in.status_code == 200
    assert hr.client.get(f"/admin/questionnaires/{set_id}/export?version=9").status_code == 404


def test_copy_of_the_built_in_set_and_its_preview(hr: Editor, app: Flask) -> None:
    page = "/admin/questionnaires/"
    copied = hr.post_form(page, "/admin/questionnaires/copy", {"copy_name": "Our 360"})
    assert copied.status_code == 302
    overview = hr.client.get(copied.location).text
    assert "is a copy of the built-in set" in overview and "passes" in overview
    preview = hr.client.get("/admin/questionnaires/built-in/preview?level=business_leader"
                            "&group=direct_reports")
    assert preview.status_code == 200
    assert "bl_owns_pnl" not in preview.text  # direct reports do not rate P&L (SPEC §3)
    assert 'name="bl_vision"' in preview.text
    assert hr.client.get(page.rstrip("/") + "/built-in/preview?group=boss").status_code == 404


def test_a_campaign_cannot_pick_a_set_without_a_saved_version(hr: Editor, app: Flask) -> None:
    hr.upload("Acme levels", EXAMPLE.read_bytes())
    set_id = _set_id(app, "Acme levels")
    form = hr.client.get("/admin/campaigns/new").text
    choices = form.split('name="questionnaire_set_id"')[1].split("</select>")[0]
    assert "Built-in questionnaire" in choices and "Acme levels" not in choices
    response = hr.post_form("/admin/campaigns/new", "/admin/campaigns/new", {
        "name": "X", "deadline": "2099-10-31", "timezone": "Europe/Paris",
        "min_raters": "3", "max_peers": "5", "questionnaire_set_id": str(set_id),
    })
    assert response.status_code == 200 and "Not a valid choice" in response.text


def test_questionnaire_pages_need_hr(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        user = make_subject_user(make_person("sam@example.test", "Sam Subject"))
        token = issue_link_token(user, SIGN_IN, utcnow())
        db.session.commit()
    assert client.get("/admin/questionnaires/").status_code == 302
    page = client.get(f"/link/{token}")
    client.post(f"/link/{token}", data={"csrf_token": csrf_token(page)})
    for url in ("/admin/questionnaires/", "/admin/questionnaires/built-in/preview",
                "/admin/questionnaires/built-in/export"):
        assert client.get(url).status_code == 403, url
    fresh = csrf_token(client.get("/request-link"))  # signing in started a fresh session
    assert client.post("/admin/questionnaires/copy",
                       data={"csrf_token": fresh}).status_code == 403
