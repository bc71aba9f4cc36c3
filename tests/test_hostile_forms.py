"""Hostile input on every form (issue 7 point 3): arbitrary text, huge fields, wrong types,
invalid UTF-8, formula prefixes, markup. Never a 5xx, never echoed markup, and a refused form
says why. One app per module; each example resets what it may have changed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, update

from survey.extensions import db
from survey.models import Draft, Invitation, InvitationStatus, Response, SubmissionReceipt, User
from survey.services import accounts
from tests.helpers_hostile import HOSTILE, SCRIPT, form_body, hostile_text, hostile_value
from tests.helpers_hostile import module_app as build_module_app
from tests.helpers_rate import item_keys
from tests.helpers_security import build_security_world, sign_in_hr
from tests.helpers_security import csrf_of as read_csrf

FORM = "application/x-www-form-urlencoded"
_TOKENS: dict[int, str] = {}


def csrf_of(client: FlaskClient, page: str = "/sign-in") -> str:
    """The client's CSRF token, read from a page once (it stays valid for the session)."""
    if id(client) not in _TOKENS:
        _TOKENS[id(client)] = read_csrf(client, page)
    return _TOKENS[id(client)]


@pytest.fixture(scope="module")
def module_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from build_module_app(tmp_path_factory.mktemp("hostile_forms"))


@pytest.fixture(scope="module")
def world(module_app: Flask) -> Any:
    return build_security_world(module_app)


@pytest.fixture(scope="module")
def rater(module_app: Flask) -> FlaskClient:
    return module_app.test_client()


@pytest.fixture(scope="module")
def anon(module_app: Flask) -> FlaskClient:
    return module_app.test_client()


@pytest.fixture(scope="module")
def hr(module_app: Flask, world: Any) -> FlaskClient:
    client = module_app.test_client()
    sign_in_hr(client)
    return client


def post(client: FlaskClient, path: str, fields: list[tuple[str, Any]]) -> tuple[int, str]:
    reply = client.post(path, data=form_body(fields), content_type=FORM)
    page = reply.get_data(as_text=True)
    reply.close()
    assert reply.status_code < 500, page[:2000]
    assert SCRIPT not in page, "markup from the request echoed unescaped"
    return reply.status_code, page


def reopen(app: Flask, invitation_id: int) -> None:
    """Undo a submit, draft or decline so the next example meets an open invitation."""
    with app.app_context():
        db.session.execute(delete(SubmissionReceipt))
        db.session.execute(delete(Draft))
        db.session.execute(delete(Response))
        db.session.execute(
            update(Invitation)
            .where(Invitation.id == invitation_id)
            .values(status=InvitationStatus.PENDING, decline_reason=None)
        )
        db.session.commit()


def answer_values() -> st.SearchStrategy[str | bytes]:
    return st.one_of(st.sampled_from(["1", "3", "5", "na", "0", "6", "-1", "1.5", "NA", ""]),
                     hostile_value())  # fmt: skip


@st.composite
def rating_fields(draw: st.DrawFn, keys: list[str]) -> list[tuple[str, Any]]:
    chosen = draw(st.lists(st.sampled_from(keys), max_size=8))
    fields: list[tuple[str, Any]] = [(key, draw(answer_values())) for key in chosen]
    for question in draw(st.lists(st.sampled_from(["keep_doing", "start_doing", "nope"]))):
        text = draw(st.one_of(hostile_value(), st.just("x" * 4001), st.just("=1+1" * 900)))
        fields.append((f"comment-{question}", text))
    extra = draw(st.lists(st.tuples(hostile_text(20), hostile_value()), max_size=3))
    return fields + extra


def readable_refusal(status: int, page: str) -> None:
    if status == 422:
        assert re.search(r'class="field-error"|class="error-summary"', page), page[:500]


@HOSTILE
@given(data=st.data())
def test_rater_form_submit_and_save(
    module_app: Flask, world: Any, rater: FlaskClient, data: st.DataObject
) -> None:
    keys = item_keys(module_app, world.own_invitation)
    path = f"/r/{world.rater_token}/{world.own_invitation}"
    action = data.draw(st.sampled_from(["submit", "save", "", "\x00", SCRIPT]))
    fields = [("csrf_token", csrf_of(rater, path)), ("action", action)]
    status, page = post(rater, path, fields + data.draw(rating_fields(keys)))
    assert status in (303, 422), status
    readable_refusal(status, page)
    reopen(module_app, world.own_invitation)


@HOSTILE
@given(data=st.data())
def test_rater_autosave(
    module_app: Flask, world: Any, rater: FlaskClient, data: st.DataObject
) -> None:
    keys = item_keys(module_app, world.own_invitation)
    path = f"/r/{world.rater_token}/{world.own_invitation}"
    fields = [("csrf_token", csrf_of(rater, path))] + data.draw(rating_fields(keys))
    status, _ = post(rater, path + "/draft", fields)
    assert status == 200
    reopen(module_app, world.own_invitation)


@HOSTILE
@given(reason=st.one_of(hostile_value(), st.just("r" * 2001)))
def test_decline(module_app: Flask, world: Any, rater: FlaskClient, reason: Any) -> None:
    path = f"/r/{world.rater_token}/{world.own_invitation}/decline"
    status, page = post(rater, path, [("csrf_token", csrf_of(rater, path)), ("reason", reason)])
    assert status in (303, 422)
    readable_refusal(status, page)
    reopen(module_app, world.own_invitation)


@HOSTILE
@given(email=hostile_value(), password=st.one_of(hostile_value(), st.just("p" * 100_000)))
def test_sign_in(anon: FlaskClient, email: Any, password: Any) -> None:
    client = anon
    fields = [("csrf_token", csrf_of(client)), ("email", email), ("password", password)]
    status, page = post(client, "/sign-in", fields)
    assert status == 200
    assert "do not match" in page or "field-error" in page or "This field is required" in page


@HOSTILE
@given(email=hostile_value())
def test_request_link(anon: FlaskClient, email: Any) -> None:
    client = anon
    fields = [("csrf_token", csrf_of(client, "/request-link")), ("email", email)]
    status, _ = post(client, "/request-link", fields)
    assert status in (200, 302)


@HOSTILE
@given(password=hostile_value(), confirm=hostile_value(), same=st.booleans())
def test_set_password(
    module_app: Flask, world: Any, password: Any, confirm: Any, same: bool
) -> None:
    with module_app.app_context():
        user = db.session.get(User, world.alice_user)
        token = accounts.issue_link_token(user, accounts.SET_PASSWORD, accounts_now())
        db.session.commit()
    client = module_app.test_client()  # a set password signs in on a fresh session
    path = f"/link/{token}"
    fields = [("csrf_token", read_csrf(client, path)), ("password", password)]
    status, page = post(client, path, fields + [("confirm", password if same else confirm)])
    assert status in (200, 302)
    if status == 200:
        assert "field-error" in page or "error" in page


def accounts_now() -> Any:
    from survey.models import utcnow

    return utcnow()


@st.composite
def campaign_fields(draw: st.DrawFn) -> list[tuple[str, Any]]:
    def one(values: list[str]) -> Any:
        return draw(st.one_of(st.sampled_from(values), hostile_value()))

    fields = [
        ("name", one(["Spring", "x" * 201])),
        ("deadline", one(["2099-01-31", "2000-01-01", "31/01/2099", "2099-02-30"])),
        ("timezone", one(["Europe/Paris", "Mars/Olympus", "UTC"])),
        ("min_raters", one(["3", "1", "-5", "1e9", "99999999999999999999"])),
        ("max_peers", one(["5", "0", "abc"])),
        ("emails", one(["tom@example.test", "a@b, c@d;e@f", "x" * 5000])),
        ("next_level", one(["", "tom@example.test"])),
    ]
    levels = draw(st.lists(st.sampled_from(["team_leader", "ceo", SCRIPT]), max_size=2))
    return fields + [("levels", level) for level in levels]


@HOSTILE
@given(fields=campaign_fields())
def test_campaign_create(hr: FlaskClient, fields: list[tuple[str, Any]]) -> None:
    path = "/admin/campaigns/new"
    status, page = post(hr, path, [("csrf_token", csrf_of(hr, path)), *fields])
    assert status in (200, 302)
    if status == 200:
        assert "field-error" in page or "flash-error" in page or "error" in page


@HOSTILE
@given(fields=campaign_fields())
def test_campaign_edit(
    module_app: Flask, world: Any, hr: FlaskClient, fields: list[tuple[str, Any]]
) -> None:
    path = f"/admin/campaigns/{world.draft}/edit"
    status, _ = post(hr, path, [("csrf_token", csrf_of(hr, path)), *fields])
    assert status in (200, 302)


@HOSTILE
@given(email=hostile_value(), group=st.one_of(st.sampled_from(["peers", "self"]), hostile_value()))
def test_add_rater(world: Any, hr: FlaskClient, email: Any, group: Any) -> None:
    page = f"/admin/campaigns/{world.draft}/subjects/{world.draft_subject}"
    fields = [("csrf_token", csrf_of(hr, page)), ("email", email), ("group", group)]
    status, _ = post(hr, page + "/raters", fields)
    assert status == 302
    follow = hr.get(page)
    assert follow.status_code in (200, 404)
    assert SCRIPT not in follow.get_data(as_text=True)


def test_a_comment_over_the_limit_gets_a_clear_message(
    module_app: Flask, world: Any, rater: FlaskClient
) -> None:
    path = f"/r/{world.rater_token}/{world.own_invitation}"
    limit = module_app.config["COMMENT_MAX_LENGTH"]
    fields = [("csrf_token", csrf_of(rater, path)), ("action", "submit"),
              ("comment-keep_doing", "y" * (limit + 1))]  # fmt: skip
    status, page = post(rater, path, fields)
    assert status == 422
    assert f"Please keep this answer under {limit} characters (it is now {limit + 1})" in page


def test_a_form_over_the_size_limit_gets_a_clear_413(world: Any, rater: FlaskClient) -> None:
    path = f"/r/{world.rater_token}/{world.own_invitation}"
    fields = [("csrf_token", csrf_of(rater, path)), ("comment-keep_doing", "z" * 2_200_000)]
    status, page = post(rater, path, fields)
    assert status == 413
    assert "larger than this site accepts" in page
