"""Exports: shown figures only, CSV with a BOM, formula cells neutralised, XLSX, same rows."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from openpyxl import load_workbook

from survey.extensions import db
from survey.models import Campaign, CampaignStatus, Subject
from survey.services.export import export_chunks, neutralise
from survey.services.frozen_reports import freeze_reports
from tests.factories import make_hr_user, make_person
from tests.helpers_reports import sign_in, team_leader_scenario, worked_example


@pytest.fixture
def campaign_id(app: Flask) -> int:
    with app.app_context():
        return worked_example(team="=cmd|' /C calc'!A0").campaign.id


def run_export(runner: FlaskCliRunner, campaign_id: int, fmt: str, tmp_path) -> object:
    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(
        args=["campaign", "export", str(campaign_id), "--format", fmt, "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out


def csv_rows(raw: bytes) -> list[list[str]]:
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_has_bom_and_only_shown_cells(runner: FlaskCliRunner, campaign_id, tmp_path) -> None:
    rows = csv_rows(run_export(runner, campaign_id, "csv", tmp_path).read_bytes())
    header, body = rows[0], rows[1:]
    assert header[:7] == ["campaign", "subject", "email", "level", "team", "section", "kind"]
    col = {name: i for i, name in enumerate(header)}
    shown = {(r[col["kind"]], r[col["area"]], r[col["item"]], r[col["group"]]): r for r in body}
    assert shown[("area", "culture", "", "all_others")][col["score"]] == "4.63"
    assert shown[("item", "results", "ic_finishes_work", "peers")][col["n"]] == "3"
    # Hidden cells are absent: peers' improvement area and items rated by only 2 peers.
    assert ("area", "improvement", "", "peers") not in shown
    assert ("item", "improvement", "ic_follows_processes", "peers") not in shown
    assert ("item", "growth", "ic_acts_on_feedback", "peers") not in shown
    assert not any(r[col["group"]] == "direct_reports" for r in body)
    # Spoke order within the subject: areas first, results before culture.
    areas = [r[col["area"]] for r in body if r[col["kind"]] == "area"]
    assert areas.index("results") < areas.index("culture")


def test_formula_cells_are_neutralised(runner: FlaskCliRunner, campaign_id, tmp_path) -> None:
    rows = csv_rows(run_export(runner, campaign_id, "csv", tmp_path).read_bytes())
    teams = {r[4] for r in rows[1:]}
    assert teams == {"'=cmd|' /C calc'!A0"}


def test_a_line_break_in_a_name_stays_inside_its_field(
    app: Flask, runner: FlaskCliRunner, tmp_path
) -> None:
    with app.app_context():
        campaign_id = worked_example(team="Ops\nNorth").campaign.id
    rows = csv_rows(run_export(runner, campaign_id, "csv", tmp_path).read_bytes())
    assert {len(row) for row in rows} == {len(rows[0])}  # no row cut in two
    assert {row[4] for row in rows[1:]} == {"Ops\nNorth"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\tx", "'\tx"), ("\rx", "'\rx"), ("Blue", "Blue"), (3.5, 3.5), ("", "")],
)
def test_neutralise(value, expected) -> None:
    assert neutralise(value) == expected


def text(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return "" if value is None else str(value)


def test_xlsx_has_the_same_rows(runner: FlaskCliRunner, campaign_id, tmp_path) -> None:
    rows = csv_rows(run_export(runner, campaign_id, "csv", tmp_path).read_bytes())
    book = load_workbook(run_export(runner, campaign_id, "xlsx", tmp_path), read_only=True)
    try:
        sheet = book.active
        xlsx = [
            [text(float(v)) if i == 11 and isinstance(v, int) else text(v)
             for i, v in enumerate(row)]
            for row in sheet.iter_rows(values_only=True)
        ]
        first = next(sheet.iter_rows(min_row=2))
        number_format = first[11].number_format
    finally:
        book.close()  # read-only workbooks keep the file open until closed
    assert xlsx == rows
    assert number_format == "0.00"


def test_hr_downloads_the_export_from_the_organisation_page(
    app: Flask, client: FlaskClient, campaign_id
) -> None:
    with app.app_context():
        hr = make_hr_user().id
        db.session.commit()
    sign_in(client, hr)
    page = client.get(f"/reports/organisation/{campaign_id}").get_data(as_text=True)
    assert f"/reports/organisation/{campaign_id}/export.csv" in page
    download = client.get(f"/reports/organisation/{campaign_id}/export.csv")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert b"4.63" in download.data and download.data.startswith(b"\xef\xbb\xbf")
    xlsx = client.get(f"/reports/organisation/{campaign_id}/export.xlsx")
    assert xlsx.data[:2] == b"PK"
    assert client.get(f"/reports/organisation/{campaign_id}/export.pdf").status_code == 404


def test_a_download_as_the_first_request_reads_the_campaigns_questionnaire(
    app: Flask, client: FlaskClient
) -> None:
    """The body streams after the view's session has closed; the campaign's questionnaire,
    never read in this process before (a launch instant of its own), is read all the same."""
    with app.app_context():
        campaign = worked_example(status=CampaignStatus.CLOSED).campaign
        campaign.launched_at = datetime.now(UTC)
        hr = make_hr_user().id
        db.session.commit()
        campaign_id = campaign.id
    sign_in(client, hr)
    download = client.get(f"/reports/organisation/{campaign_id}/export.csv")
    assert download.status_code == 200 and b"4.63" in download.data


def test_export_of_unknown_campaign_is_one_line(runner: FlaskCliRunner, tmp_path) -> None:
    result = runner.invoke(
        args=["campaign", "export", "99", "--format", "csv", "--output", str(tmp_path / "x")]
    )
    assert result.exit_code == 1 and result.stderr.strip() == "Error: no campaign with id 99"


def hostile_campaign() -> Campaign:
    """Four subjects (two with a readiness section) whose names, teams and campaign name hold
    formulas, commas, quotes and line breaks."""
    example = worked_example(status=CampaignStatus.CLOSED, team='-ops, "north"\nteam')
    campaign = example.campaign
    campaign.name = "=Autumn, 360"
    example.person.name = '@Alice "Al" Example'
    for index, team in enumerate(["+Green", "Blue, team", "\tTabbed"]):
        leader = team_leader_scenario(
            campaign, f"lead{index}@example.test", peers=3 + index, reports=3 + index,
            team=team, include_next_level=index != 1,
        )
        leader.name = f"=Leader {index}"
    make_person("=bystander@example.test", team="=Nobody")
    freeze_reports(campaign)
    db.session.commit()
    return campaign


def test_hostile_text_is_neutralised_and_stays_in_its_field(app: Flask) -> None:
    with app.app_context():
        rows = csv_rows(b"".join(export_chunks(hostile_campaign(), "csv")))
    assert {len(row) for row in rows} == {14}
    assert len(rows) > 400
    assert {r[5] for r in rows[1:]} == {"level", "readiness"}
    assert {r[0] for r in rows[1:]} == {"'=Autumn, 360"}
    assert {r[1] for r in rows[1:]} == {"'=Leader 0", "'=Leader 1", "'=Leader 2", "Alice Example"}
    assert {r[4] for r in rows[1:]} == {"'-ops, \"north\"\nteam", "'+Green", "Blue, team",
                                        "'\tTabbed"}


def test_export_shows_names_as_they_are_now_and_teams_as_at_close(app: Flask) -> None:
    """Results are frozen at close; the subject's name and e-mail are not."""
    with app.app_context():
        campaign = hostile_campaign()
        subject = db.session.scalars(
            db.select(Subject).where(Subject.campaign_id == campaign.id).order_by(Subject.id)
        ).first()
        assert subject is not None
        subject.name = "+Alice, renamed"
        subject.person.email = "alice.renamed@example.test"
        subject.person.team = "Moved after close"
        campaign.name = "Autumn 360 (final)"
        db.session.commit()
        rows = csv_rows(b"".join(export_chunks(campaign, "csv")))
    alice = [r for r in rows[1:] if r[2] == "alice.renamed@example.test"]
    assert alice and {r[1] for r in alice} == {"'+Alice, renamed"}
    assert {r[4] for r in alice} == {"'-ops, \"north\"\nteam"}
    assert {r[0] for r in rows[1:]} == {"Autumn 360 (final)"}
