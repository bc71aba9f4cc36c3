"""Small campaign-page fixes of issue 18: default peers stay in their tree, warnings name raters,
"did not answer" once closed, same-name campaigns told apart, what a re-import changed, and
the rater form's failed item marked aria-invalid."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import aliased

from survey.extensions import db
from survey.models import Campaign, CampaignStatus, Invitation, Person, Rater, Subject
from survey.services.campaigns import get_campaign, launch_campaign
from survey.services.progress import campaign_progress, launch_warnings
from tests.factories import NOW, make_hr_user
from tests.helpers_campaigns import ORG_CSV, AuthActions, make_draft, make_org
from tests.helpers_rate import RaterActions, build_world, item_keys, set_status

# Two unrelated trees, as a new user imports them: the demo's managing director's tree, and a
# 7-person company whose top is also a business leader.
TWO_TREES = b"""email,name,level,manager_email,team
md@demo.test,Mona Director,business_leader,,Board
bu1@demo.test,Bert Unit,business_leader,md@demo.test,Unit 1
bu2@demo.test,Bea Unit,business_leader,md@demo.test,Unit 2
tl1@demo.test,Tea Lead,team_leader,bu1@demo.test,Unit 1
top@small.test,Sol Top,business_leader,,Small
l1@small.test,Lea One,team_leader,top@small.test,Small
l2@small.test,Leo Two,team_leader,top@small.test,Small
i1@small.test,Ina One,individual_contributor,l1@small.test,Small
i2@small.test,Ivo Two,individual_contributor,l1@small.test,Small
i3@small.test,Ira Three,individual_contributor,l2@small.test,Small
i4@small.test,Ima Four,individual_contributor,l2@small.test,Small
"""


@pytest.fixture
def hr(app: Flask, client: FlaskClient) -> AuthActions:
    with app.app_context():
        make_hr_user()
        db.session.commit()
    auth = AuthActions(client)
    auth.sign_in()
    return auth


def upload(hr: AuthActions, data: bytes) -> str:
    token_page = hr.client.get("/admin/people")
    from tests.helpers_campaigns import csrf_token

    page = hr.client.post(
        "/admin/people",
        data={"csrf_token": csrf_token(token_page), "file": (io.BytesIO(data), "org.csv")},
        follow_redirects=True,
    )
    assert page.status_code == 200, page.text
    return page.text


def test_no_default_peer_crosses_from_one_tree_to_the_other(app: Flask, hr: AuthActions) -> None:
    upload(hr, TWO_TREES)
    with app.app_context():
        campaign_id = make_draft(
            levels=("business_leader", "team_leader", "individual_contributor")
        )
        subject_person, rater_person = aliased(Person), aliased(Person)
        pairs = db.session.execute(
            select(subject_person.email, rater_person.email, Invitation.rater_group)
            .join(Subject, Invitation.subject_id == Subject.id)
            .join(subject_person, Subject.person_id == subject_person.id)
            .join(Rater, Invitation.rater_id == Rater.id)
            .join(rater_person, Rater.person_id == rater_person.id)
            .where(Invitation.campaign_id == campaign_id)
        ).all()
        warnings = launch_warnings(
            get_campaign(campaign_id), campaign_progress(get_campaign(campaign_id))
        )
    assert pairs
    for subject, rater, group in pairs:
        assert subject.split("@")[1] == rater.split("@")[1], (subject, rater, group)
    peers_of_sol = [r for s, r, g in pairs if s == "top@small.test" and g == "peers"]
    assert peers_of_sol == []
    assert "Sol Top: no peers." in warnings
    assert (
        "Mona Director: 2 direct reports (Bea Unit, Bert Unit), below k = 3; their answers will "
        "be merged with other small groups or not shown." in warnings
    )
    page = hr.client.get(f"/admin/campaigns/{campaign_id}")
    assert "Lea One: 1 peer (Leo Two), below k = 3" in page.text


def test_closed_and_released_campaigns_say_did_not_answer(
    app: Flask, client: FlaskClient, hr: AuthActions
) -> None:
    world = build_world(app)
    dashboard = f"/admin/campaigns/{world.campaign_id}"
    assert "3 waiting</summary>" in hr.client.get(dashboard).text
    for status in (CampaignStatus.CLOSED, CampaignStatus.RELEASED):
        set_status(app, world.campaign_id, status)
        page = hr.client.get(dashboard).text
        assert "3 did not answer</summary>" in page, status
        assert "waiting" not in page, status
    with app.app_context():
        subject_id = db.session.scalars(select(Subject.id)).first()
    subject_page = hr.client.get(f"{dashboard}/subjects/{subject_id}").text
    assert "did not answer" in subject_page and ">pending<" not in subject_page


def test_same_name_campaigns_are_warned_and_listed_with_dates(app: Flask, hr: AuthActions) -> None:
    with app.app_context():
        make_org()
        first = make_draft("Spring 360")
        launch_campaign(get_campaign(first), NOW)
        db.session.commit()
    data = {
        "name": "Spring 360",
        "deadline": "2099-06-30",
        "timezone": "UTC",
        "min_raters": "3",
        "max_requests_per_rater": "8",
        "emails": "tl2@acme.test",
    }
    created = hr.post_form("/admin/campaigns/new", "/admin/campaigns/new", data)
    page = hr.client.get(created.headers["Location"]).text
    assert f"Campaign {first} is also called “Spring 360” (created " in page
    assert "deadline 2099-03-31, open); the campaign list shows each one&#39;s dates." in page
    listing = hr.client.get("/admin/campaigns").text
    assert len(re.findall(r"created \d{4}-\d\d-\d\d", listing)) == 2
    assert f"launched {NOW.date().isoformat()}" in listing


def test_reimport_lists_what_changed_and_the_campaigns_that_keep_their_raters(
    app: Flask, hr: AuthActions
) -> None:
    upload(hr, ORG_CSV)
    with app.app_context():
        open_id = make_draft("Spring 360")
        launch_campaign(get_campaign(open_id), NOW)
        draft_id = make_draft("Autumn 360", emails=("ic1@acme.test",), levels=())
        db.session.commit()
    moved = (
        ORG_CSV.replace(b"tl3@acme.test,Tara Lead,team_leader,bl2@acme.test,Sales",
                        b"tl3@acme.test,Tara Lead,business_leader,ceo@acme.test,Ops")
        .replace(b"ic5@acme.test,Ida Five,individual_contributor,tl3@acme.test,Sales",
                 b"ic5@acme.test,Ida Five,individual_contributor,tl1@acme.test,Sales")
    )  # fmt: skip
    page = upload(hr, moved)
    assert "What changed (4)" in page
    assert "Tara Lead (tl3@acme.test): manager Bob Business → Carla Ceo" in page
    assert "Tara Lead (tl3@acme.test): team Sales → Ops" in page
    assert "Tara Lead (tl3@acme.test): level team leader → business leader" in page
    assert "Ida Five (ic5@acme.test): manager Tara Lead → Tina Lead" in page
    assert f"Open campaigns keep the raters they were launched with: Spring 360 ({open_id})" in page
    assert (
        "Draft campaigns keep the raters chosen so far (check them before launch): "
        f"Autumn 360 ({draft_id})" in page
    )
    again = upload(hr, moved)
    assert "What changed" not in again and "0 created, 0 updated" in again


def test_org_import_command_prints_who_moved(runner: FlaskCliRunner, tmp_path: Path) -> None:
    first = tmp_path / "org.csv"
    first.write_bytes(ORG_CSV)
    runner.invoke(args=["org", "import", str(first)])
    second = tmp_path / "moved.csv"
    isa = b"ic4@acme.test,Isa Four,individual_contributor,"
    second.write_bytes(ORG_CSV.replace(isa + b"tl2@acme.test", isa + b"tl1@acme.test"))
    result = runner.invoke(args=["org", "import", str(second)])
    assert result.stdout.splitlines() == [
        "imported moved.csv: 0 created, 1 updated, 9 unchanged",
        "  moved: Isa Four (ic4@acme.test): manager Tom Lead → Tina Lead",
    ]


def test_a_move_between_two_managers_of_one_name_is_listed_with_their_addresses(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    namesakes = ORG_CSV.replace(b"Tom Lead", b"Tina Lead")  # tl1 and tl2 share a name
    first = tmp_path / "org.csv"
    first.write_bytes(namesakes)
    runner.invoke(args=["org", "import", str(first)])
    second = tmp_path / "moved.csv"
    isa = b"ic4@acme.test,Isa Four,individual_contributor,"
    second.write_bytes(namesakes.replace(isa + b"tl2@acme.test", isa + b"tl1@acme.test"))
    result = runner.invoke(args=["org", "import", str(second)])
    assert result.stdout.splitlines()[1:] == [
        "  moved: Isa Four (ic4@acme.test): manager Tina Lead (tl2@acme.test) → "
        "Tina Lead (tl1@acme.test)",
    ]


def test_a_failed_item_is_marked_aria_invalid_beside_its_message(
    app: Flask, client: FlaskClient
) -> None:
    world = build_world(app)
    first, second = item_keys(app, world.boss_invitation)[:2]
    page = RaterActions(client, world.boss_token).submit(
        world.boss_invitation, {first: "7", second: "2"}
    )
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    fieldset = re.search(rf'<fieldset class="item has-error" id="item-{first}"[^>]*>', html)
    assert fieldset is not None
    assert 'aria-invalid="true"' in fieldset.group()
    assert f'aria-describedby="{first}-error"' in fieldset.group()
    other = re.search(rf'<fieldset class="item" id="item-{second}"[^>]*>', html)
    assert other is not None and "aria-invalid" not in other.group()
    with app.app_context():
        assert db.session.get(Campaign, world.campaign_id) is not None
