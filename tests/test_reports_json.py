"""The SPEC §9 report JSON: a worked example computed by hand, the CLI and the API agree."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from survey.extensions import db
from survey.models import CampaignStatus, Subject
from tests.factories import make_hr_user
from tests.helpers_reports import api_url, cells, sign_in, worked_example

SPEC_KEYS = {
    "campaign", "subject", "scale", "areas", "groups", "area_scores", "item_scores", "gaps",
    "strengths", "development", "comments",
}


def report_json(runner: FlaskCliRunner, campaign_id: int, email: str) -> dict:
    result = runner.invoke(
        args=["report", "--campaign", str(campaign_id), "--subject", email, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def example(app: Flask):
    with app.app_context():
        ex = worked_example()
        return ex.campaign.id, ex.subject.id


def test_report_json_has_the_spec_keys_and_header(runner: FlaskCliRunner, example) -> None:
    campaign_id, _ = example
    doc = report_json(runner, campaign_id, "ALICE@example.test")
    assert SPEC_KEYS <= set(doc)
    assert doc["campaign"] == {
        "id": campaign_id, "name": "Autumn 360", "status": "released", "min_raters": 3
    }
    assert doc["subject"] == {
        "name": "Alice Example", "email": "alice@example.test", "level": "individual_contributor"
    }
    assert doc["scale"]["min"] == 1 and doc["scale"]["max"] == 5
    assert doc["scale"]["labels"]["1"] == "Never"
    assert [a["key"] for a in doc["areas"]] == ["results", "improvement", "growth", "culture"]


def test_groups_counted_and_shown(runner: FlaskCliRunner, example) -> None:
    doc = report_json(runner, example[0], "alice@example.test")
    groups = {g["key"]: (g["responses"], g["shown"], g["merged_into"]) for g in doc["groups"]}
    assert groups["self"] == (1, True, None)
    assert groups["manager"] == (1, True, None)
    assert groups["peers"] == (3, True, None)
    assert groups["direct_reports"] == (0, False, None)
    assert groups["all_others"] == (4, True, None)


def test_area_scores_match_the_hand_computation(runner: FlaskCliRunner, example) -> None:
    doc = report_json(runner, example[0], "alice@example.test")
    assert cells(doc, "area_scores", "self") == {
        "results": (4.0, 1), "improvement": (3.0, 1), "growth": (5.0, 1), "culture": (4.0, 1)
    }
    # The manager answered 1 of 2 improvement items: exactly half still counts (SPEC §7.1).
    assert cells(doc, "area_scores", "manager") == {
        "results": (3.5, 1), "improvement": (2.0, 1), "growth": (4.0, 1), "culture": (5.0, 1)
    }
    # Peers: improvement has no item rated by 3 peers, so the area is hidden; growth uses only
    # the shown item (3, 3, 4); results pools the 6 answers: 19 / 6 = 3.1666… → 3.17 (every
    # peer answered both, so it equals the mean of their means (3 + 4 + 2.5) / 3).
    assert cells(doc, "area_scores", "peers") == {
        "results": (3.17, 3), "growth": (3.33, 3), "culture": (4.5, 3)
    }
    # All others: the mean of every answer in the shown item cells of the units whose area is
    # shown (SPEC §7.6): culture (5 + 5 + 4 + 4 + 4 + 5 + 5 + 5) / 8 = 4.625; growth: the
    # manager's 4, 4 and the peers' shown deepens_expertise 3, 3, 4 -> 18 / 5 = 3.60 (peers'
    # acts_on_feedback has 2 answers: hidden). It was 3.50 = (4 + 3 × 3.33) / 4 when all
    # others averaged raters' area means, which weighed the manager's answers differently
    # from the item cells; n stays 1 + 3 raters.
    assert cells(doc, "area_scores", "all_others") == {
        "results": (3.25, 4), "improvement": (2.0, 1), "growth": (3.6, 4), "culture": (4.63, 4)
    }


def test_hidden_item_cells_are_absent_and_na_never_counts(runner: FlaskCliRunner, example) -> None:
    doc = report_json(runner, example[0], "alice@example.test")
    peers = cells(doc, "item_scores", "peers")
    assert "ic_follows_processes" not in peers  # only 2 peers rated it
    assert "ic_acts_on_feedback" not in peers
    assert peers["ic_finishes_work"] == (3.33, 3)
    others = cells(doc, "item_scores", "all_others")
    assert others["ic_deepens_expertise"] == (3.5, 4)
    assert "ic_masters_tools" not in others  # the manager's N/A is not a 0
    na = {c["item"]: c["na"] for c in doc["item_scores"] if c["group"] == "manager"}
    assert "ic_masters_tools" not in na


def test_gaps_strengths_and_development(runner: FlaskCliRunner, example) -> None:
    doc = report_json(runner, example[0], "alice@example.test")
    gaps = {g["area"]: (g["self"], g["others"], g["delta"], g["kind"]) for g in doc["gaps"]}
    assert gaps == {
        "results": (4.0, 3.25, 0.75, "aligned"),
        "improvement": (3.0, 2.0, 1.0, "blind_spot"),
        "growth": (5.0, 3.6, 1.4, "blind_spot"),  # 5.00 - 3.60
        "culture": (4.0, 4.63, -0.63, "aligned"),
    }
    # All others per item: 4.75, 4.5, 3.5, 3.5, 3.0 (n = 4) and 4.0, 2.0 (the manager alone,
    # n = 1 < k = 3: they never rank). 5 items rank, so 2 each; the 3.5 tie goes to the item
    # first in the questionnaire (finishes_work).
    assert [s["item"] for s in doc["strengths"]] == ["ic_treats_colleagues", "ic_acts_on_values"]
    assert [d["item"] for d in doc["development"]] == [
        "ic_delivers_commitments", "ic_finishes_work"
    ]
    assert doc["strengths"][0]["score"] == 4.75
    assert "Alice Example" in doc["strengths"][0]["text"]


def test_comments_by_group_without_rater_labels(runner: FlaskCliRunner, example) -> None:
    doc = report_json(runner, example[0], "alice@example.test")
    assert doc["comments"] == [
        {"group": "self", "question": "keep_doing", "text": "I keep my promises."},
        {"group": "peers", "question": "keep_doing", "text": "always on time"},
        {"group": "peers", "question": "keep_doing", "text": "Helpful reviews"},
        {"group": "peers", "question": "stop_doing", "text": '=HYPERLINK("x")'},
    ]


def test_org_norm_of_fewer_than_five_subjects_is_absent(runner: FlaskCliRunner, example) -> None:
    # Alice is the only IC: each norm would be her own all_others score with n = 1 (for two
    # subjects, 2 x norm - own would be the colleague's score). Subjects see a norm only when
    # at least 5 subjects contribute (ORG_NORM_MIN_SUBJECTS), so the list is empty, not zeros.
    doc = report_json(runner, example[0], "alice@example.test")
    assert doc["org_norms"] == []
    assert doc["readiness"] is None


def test_api_returns_the_same_document_as_the_cli(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, example
) -> None:
    campaign_id, subject_id = example
    with app.app_context():
        hr_id = make_hr_user().id
        db.session.commit()
        url = api_url(db.session.get(Subject, subject_id))
    sign_in(client, hr_id)
    response = client.get(url)
    assert response.status_code == 200
    assert response.get_json() == report_json(runner, campaign_id, "alice@example.test")
    by_email = client.get(f"/api/campaigns/{campaign_id}/report?subject=alice@example.test")
    assert by_email.get_json() == response.get_json()


@pytest.mark.parametrize("status", [CampaignStatus.DRAFT, CampaignStatus.OPEN])
def test_cli_refuses_while_not_closed(app: Flask, runner: FlaskCliRunner, status) -> None:
    with app.app_context():
        ex = worked_example(status=status)
        campaign_id = ex.campaign.id
    result = runner.invoke(
        args=["report", "--campaign", str(campaign_id), "--subject", "alice@example.test"]
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "closed" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_cli_names_an_unknown_subject(app: Flask, runner: FlaskCliRunner, example) -> None:
    result = runner.invoke(
        args=["report", "--campaign", str(example[0]), "--subject", "bob@example.test"]
    )
    assert result.exit_code == 1
    assert "bob@example.test is not a subject" in result.stderr
