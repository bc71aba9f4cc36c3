"""Rate limits hold where they apply, and rater pages carry only their own (SPEC §5)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.helpers_campaigns import AuthActions
from tests.helpers_rate import RaterActions, build_world


def test_the_eleventh_sign_in_attempt_in_a_minute_is_refused(client: FlaskClient) -> None:
    auth = AuthActions(client)
    statuses = [auth.sign_in(password="wrong password!").status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10  # the form again, with its message
    assert statuses[10] == 429


def test_a_rater_can_open_and_save_a_form_more_often_than_any_app_limit(app: Flask) -> None:
    world = build_world(app)
    rater = RaterActions(app.test_client(), world.peer_token)
    for _ in range(30):  # past the sign-in limits (10 and 20 a minute) and the bad-link one
        assert rater.open(world.peer_invitation).status_code == 200
        saved = rater.autosave(world.peer_invitation, {}, {"keep_doing": "Listens"})
        assert saved.status_code == 200

