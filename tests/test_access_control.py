"""Every route × every role, with the exact status each one gets (issue 7 point 4).

Roles: signed out, Alice (a subject, reading her own report), Bob (a subject: Alice's report is
another's), HR. Rater routes are tried with Pia's own invitation and with someone else's
invitation under her link, in every session. A route missing from TABLE fails the suite, so a
new route cannot ship without its row. POSTs carry a valid CSRF token here; without one, every
POST is refused with 400 and changes nothing (test_every_post_needs_a_csrf_token).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from survey.extensions import db
from survey.models import utcnow
from survey.models_questionnaire_sets import QuestionnaireSet
from survey.services.questionnaire_sets import copy_built_in
from tests.helpers_security import (
    SecurityWorld,
    build_security_world,
    csrf_of,
    new_sign_in_link,
    sign_in_hr,
    sign_in_subject,
    state_of,
)

ROLES = ("anon", "alice", "bob", "hr")
W = SecurityWorld
Path = Callable[[W, Flask], str]


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    path: Path
    expected: dict[str, int]
    data: dict[str, str] = field(default_factory=dict)
    variant: str = ""


def every(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def hr_only(hr: int, subject: int = 403, anon: int = 302) -> dict[str, int]:
    return {"anon": anon, "alice": subject, "bob": subject, "hr": hr}


def own_report(anon: int) -> dict[str, int]:
    return {"anon": anon, "alice": 200, "bob": 404, "hr": 200}


def link_path(w: W, app: Flask) -> str:
    return f"/link/{new_sign_in_link(app, w.alice_user)}"


def rate(suffix: str = "", other: bool = False) -> Path:
    def path(w: W, app: Flask) -> str:
        invitation = w.other_invitation if other else w.own_invitation
        return f"/r/{w.rater_token}/{invitation}{suffix}"

    return path


def admin(suffix: str) -> Path:
    return lambda w, app: f"/admin/campaigns/{w.draft}{suffix}"


def qset(suffix: str = "") -> Path:
    """A path under a questionnaire set (a copy of the built-in set, made on first use)."""

    def path(w: W, app: Flask) -> str:
        with app.app_context():
            found = db.session.scalar(select(QuestionnaireSet.id))
            if found is None:
                found = copy_built_in("Access set", utcnow()).id
                db.session.commit()
        return f"/admin/questionnaires/{found}{suffix}"

    return path


ITEM_FORM = {"self_text": "I delegate.", "other_text": "{name} delegates.", "area": "delegation",
             "observers": "self"}


ALICE_REPORT = "/{c}/subjects/{s}/report"
UNKNOWN_PULSE = "/p/" + "A" * 32
OWN_PLAN = {"anon": 302, "alice": 200, "bob": 404, "hr": 404}  # a plan is private: HR too
SIGNED_OUT_HR = {"anon": 302, "hr": 404}
PLAN_FORM = {"focus": "area:results", "actions": "Ask for feedback", "target_date": "2099-01-01"}
UNKNOWN_NOMINATION = "/n/" + "A" * 32
GETS = [
    Case("main.index", "GET", lambda w, a: "/", {**every(302), "anon": 200}),
    Case("main.health", "GET", lambda w, a: "/healthz", every(200)),
    Case("static", "GET", lambda w, a: "/static/css/app.css", every(200)),
    Case("auth.sign_in", "GET", lambda w, a: "/sign-in", every(200)),
    Case("auth.request_link", "GET", lambda w, a: "/request-link", every(200)),
    Case("auth.link", "GET", link_path, every(200)),
    Case("auth.link", "GET", lambda w, a: "/link/" + "x" * 32, every(404), variant="unknown"),
    Case("admin.index", "GET", lambda w, a: "/admin/", hr_only(302)),
    Case("admin.campaigns", "GET", lambda w, a: "/admin/campaigns", hr_only(200)),
    Case("admin.new_campaign", "GET", lambda w, a: "/admin/campaigns/new", hr_only(200)),
    Case("admin.people", "GET", lambda w, a: "/admin/people", hr_only(200)),
    Case("admin.campaign", "GET", admin(""), hr_only(200)),
    Case("admin.edit_campaign", "GET", admin("/edit"), hr_only(200)),
    Case("admin.confirm_action", "GET", admin("/launch"), hr_only(200)),
    Case("privacy.erase", "GET", lambda w, a: "/admin/people/erase", hr_only(200)),
    Case("privacy.audit_log", "GET", lambda w, a: "/admin/audit", hr_only(200)),
    Case(
        "privacy.remove_comment",
        "GET",
        lambda w, a: f"/admin/campaigns/{w.released}/subjects/{w.alice_subject}/comments/0/remove",
        hr_only(302),  # released: back to the report, saying why not
    ),
    Case(
        "admin.subject",
        "GET",
        lambda w, a: f"/admin/campaigns/{w.draft}/subjects/{w.draft_subject}",
        hr_only(200),
    ),
    Case(
        "api.subject_report",
        "GET",
        lambda w, a: f"/api/campaigns/{w.released}/subjects/{w.alice_subject}/report",
        own_report(anon=401),
    ),
    Case(
        "api.report_by_email",
        "GET",
        lambda w, a: f"/api/campaigns/{w.released}/report?subject=alice@example.test",
        own_report(anon=401),
    ),
    Case("reports.mine", "GET", lambda w, a: "/reports", {**every(200), "anon": 302, "hr": 302}),
    Case(
        "reports.subject_report",
        "GET",
        lambda w, a: f"/reports/{w.released}/{w.alice_subject}",
        own_report(anon=302),
    ),
    Case(
        "reports.organisation_index",
        "GET",
        lambda w, a: "/reports/organisation",
        hr_only(200, subject=404),
    ),
    Case(
        "reports.organisation",
        "GET",
        lambda w, a: f"/reports/organisation/{w.released}",
        hr_only(200, subject=404),
    ),
    Case(
        "reports.export",
        "GET",
        lambda w, a: f"/reports/organisation/{w.released}/export.csv",
        hr_only(200, subject=404),
    ),
    Case("questionnaires.index", "GET", lambda w, a: "/admin/questionnaires/", hr_only(200)),
    Case("questionnaires.edit", "GET", qset(), hr_only(200)),
    Case("questionnaires.item", "GET", qset("/items/tl_delegates"), hr_only(200)),
    Case("questionnaires.areas", "GET", qset("/areas"), hr_only(200)),
    Case("questionnaires.questions", "GET", qset("/questions"), hr_only(200)),
    Case("questionnaires.preview", "GET", qset("/preview"), hr_only(200)),
    Case(
        "questionnaires.preview",
        "GET",
        lambda w, a: "/admin/questionnaires/built-in/preview",
        hr_only(200),
        variant="built-in",
    ),
    Case("questionnaires.export", "GET", qset("/export"), hr_only(200)),
    Case(
        "questionnaires.export",
        "GET",
        lambda w, a: "/admin/questionnaires/built-in/export",
        hr_only(200),
        variant="built-in",
    ),
    Case("rate.rater_home", "GET", lambda w, a: f"/r/{w.rater_token}", every(200)),
    Case("rate.rater_home", "GET", lambda w, a: "/r/" + "A" * 32, every(404), variant="unknown"),
    Case("rate.questionnaire", "GET", rate(), every(200)),
    Case("rate.questionnaire", "GET", rate(other=True), every(404), variant="other"),
    Case("rate.decline", "GET", rate("/decline"), every(200)),
    Case("rate.decline", "GET", rate("/decline", other=True), every(404), variant="other"),
    Case("rate.thanks", "GET", rate("/thanks"), every(302)),  # still open: back to the form
    Case("rate.thanks", "GET", rate("/thanks", other=True), every(404), variant="other"),
    Case("nominate.hr.send_links", "GET", admin("/nominate"), hr_only(200)),
    Case("nominate.links.nomination", "GET", lambda w, a: UNKNOWN_NOMINATION, every(404)),
    Case("nominate.links.done", "GET", lambda w, a: UNKNOWN_NOMINATION + "/done", every(404)),
    Case("plans.plan", "GET", lambda w, a: f"/plans/{w.alice_subject}", OWN_PLAN),
    Case("plans.shared", "GET", lambda w, a: "/plans/shared", {**every(200), **SIGNED_OUT_HR}),
    Case("plans.shared_plan", "GET", lambda w, a: "/plans/shared/1", {**every(404), "anon": 302}),
    Case("pulse.hr.campaign_pulses", "GET", lambda w, a: f"/admin/campaigns/{w.released}/pulses",
         hr_only(200)),  # fmt: skip
    Case("pulse.hr.pulse", "GET", lambda w, a: "/admin/pulses/1", hr_only(404)),
    Case("pulse.links.rater_home", "GET", lambda w, a: UNKNOWN_PULSE, every(404)),
    Case("pulse.links.answer", "GET", lambda w, a: UNKNOWN_PULSE + "/1", every(404)),
    Case("pulse.links.thanks", "GET", lambda w, a: UNKNOWN_PULSE + "/1/thanks", every(404)),
]
# In this order: each POST below may change what a later request sees.
POSTS = [
    Case("admin.people", "POST", lambda w, a: "/admin/people", hr_only(200)),
    Case(
        "admin.person_language",
        "POST",
        lambda w, a: "/admin/people/language",
        hr_only(302),
        {"email": "nobody@example.test", "language": ""},
    ),
    Case("admin.new_campaign", "POST", lambda w, a: "/admin/campaigns/new", hr_only(200)),
    Case("admin.edit_campaign", "POST", admin("/edit"), hr_only(302)),  # absent fields kept
    Case("admin.add_subjects", "POST", admin("/subjects"), hr_only(302)),
    Case(
        "admin.toggle_next_level",
        "POST",
        lambda w, a: f"/admin/campaigns/{w.draft}/subjects/{w.draft_subject}/next-level",
        hr_only(302),
    ),
    Case(
        "admin.add_rater",
        "POST",
        lambda w, a: f"/admin/campaigns/{w.draft}/subjects/{w.draft_subject}/raters",
        hr_only(302),
        {"email": "pia@example.test", "group": "peers"},
    ),
    Case(
        "admin.remove_invitation",
        "POST",
        lambda w, a: f"/admin/campaigns/{w.draft}/invitations/{w.draft_invitation}/remove",
        hr_only(302),
    ),
    Case(
        "admin.remove_subject",
        "POST",
        lambda w, a: f"/admin/campaigns/{w.draft}/subjects/{w.draft_subject}/remove",
        hr_only(302),
    ),
    # a draft without the nomination step: refused with a message, and nothing to decide on
    Case("nominate.hr.send_links", "POST", admin("/nominate"), hr_only(302)),
    Case(
        "nominate.hr.decide",
        "POST",
        lambda w, a: f"/admin/campaigns/{w.draft}/subjects/{w.draft_subject}/nomination/approve",
        hr_only(404),
    ),
    Case("nominate.links.nomination", "POST", lambda w, a: UNKNOWN_NOMINATION, every(404)),
    Case("admin.confirm_action", "POST", admin("/launch"), hr_only(302)),
    Case(
        "privacy.erase",
        "POST",
        lambda w, a: "/admin/people/erase",
        hr_only(422),  # nobody with that e-mail: the form says so
        {"email": "ghost@example.test", "confirmed": "yes"},
    ),
    Case(
        "privacy.remove_comment",
        "POST",
        lambda w, a: f"/admin/campaigns/{w.released}/subjects/{w.alice_subject}/comments/0/remove",
        hr_only(302),  # released: nothing removed
        {"digest": "0" * 16, "reason": "abusive"},
    ),
    Case(
        "questionnaires.new_set",
        "POST",
        lambda w, a: "/admin/questionnaires/new",
        hr_only(422),
        {"text": "no levels here"},
    ),
    Case(
        "questionnaires.copy_built_in",
        "POST",
        lambda w, a: "/admin/questionnaires/copy",
        hr_only(302),
        {"copy_name": "Another copy"},
    ),
    Case("questionnaires.item", "POST", qset("/items/tl_delegates"), hr_only(302), ITEM_FORM),
    Case("questionnaires.areas", "POST", qset("/areas"), hr_only(302)),
    Case("questionnaires.questions", "POST", qset("/questions"), hr_only(302)),
    Case("questionnaires.save", "POST", qset("/save"), hr_only(302)),
    Case("rate.save_draft", "POST", rate("/draft"), every(200), {"action": ""}),
    Case(
        "rate.switch_language",
        "POST",
        lambda w, a: f"/r/{w.rater_token}/language",
        every(303),
        {"language": "en"},
    ),
    Case(
        "rate.switch_language",
        "POST",
        lambda w, a: "/r/" + "A" * 32 + "/language",
        every(404),
        {"language": "en"},
        variant="unknown",
    ),
    Case("rate.save_draft", "POST", rate("/draft", other=True), every(404), {}, variant="other"),
    Case("rate.questionnaire", "POST", rate(), every(303), {"action": "save"}),
    Case(
        "rate.questionnaire",
        "POST",
        rate(other=True),
        every(404),
        {"action": "save"},
        variant="other",
    ),
    Case("rate.decline", "POST", rate("/decline", other=True), every(404), variant="other"),
    Case("rate.decline", "POST", rate("/decline"), every(303), {"reason": "On leave"}),
    Case("plans.plan", "POST", lambda w, a: f"/plans/{w.alice_subject}",
         {**OWN_PLAN, "alice": 303}, PLAN_FORM),  # fmt: skip
    Case("pulse.hr.campaign_pulses", "POST",
         lambda w, a: f"/admin/campaigns/{w.released}/pulses", hr_only(422)),  # fmt: skip
    Case("pulse.hr.act", "POST", lambda w, a: "/admin/pulses/1/close", hr_only(404)),
    Case("pulse.links.answer", "POST", lambda w, a: UNKNOWN_PULSE + "/1", every(404)),
    Case("auth.sign_in", "POST", lambda w, a: "/sign-in", every(200)),
    Case("auth.request_link", "POST", lambda w, a: "/request-link", every(200)),
    Case("auth.link", "POST", link_path, every(302)),  # signs in as Alice
    Case("auth.sign_out", "POST", lambda w, a: "/sign-out", every(302)),
]
TABLE = GETS + POSTS


def routes(app: Flask) -> set[tuple[str, str]]:
    """(endpoint, method) of every registered route, HEAD and OPTIONS aside."""
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }


def test_table_covers_every_registered_route(app: Flask) -> None:
    covered = {(case.endpoint, case.method) for case in TABLE}
    assert routes(app) - covered == set(), "add these routes to TABLE"
    assert covered - routes(app) == set(), "TABLE lists routes that no longer exist"


def signed_in_as(app: Flask, role: str, world: SecurityWorld) -> FlaskClient:
    client = app.test_client()
    if role == "hr":
        sign_in_hr(client)
    elif role in ("alice", "bob"):
        user = world.alice_user if role == "alice" else world.bob_user
        sign_in_subject(app, client, user)
    return client


def request(client: FlaskClient, app: Flask, world: SecurityWorld, case: Case) -> int:
    path = case.path(world, app)
    if case.method == "GET":
        reply = client.get(path)
    else:
        reply = client.post(path, data={"csrf_token": csrf_of(client), **case.data})
    reply.close()
    return reply.status_code


@pytest.mark.parametrize("role", ROLES)
def test_each_route_answers_each_role_exactly(app: Flask, role: str) -> None:
    world = build_security_world(app)
    client = signed_in_as(app, role, world)
    wrong = []
    for case in TABLE:
        status = request(client, app, world, case)
        if status != case.expected[role]:
            wrong.append(
                f"{case.method} {case.endpoint} {case.variant}: {status}, "
                f"expected {case.expected[role]}"
            )
    assert wrong == []


@pytest.mark.parametrize("role", ("anon", "hr"))
def test_every_post_needs_a_csrf_token(app: Flask, role: str) -> None:
    world = build_security_world(app)
    client = signed_in_as(app, role, world)
    for case in POSTS:
        path = case.path(world, app)
        before = state_of(app)
        reply = client.post(path, data=dict(case.data))
        assert reply.status_code == 400, f"{case.endpoint} {case.variant}"
        assert "This form expired or was sent twice" in reply.get_data(as_text=True)
        assert state_of(app) == before, f"{case.endpoint} changed something without CSRF"
