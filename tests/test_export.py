"""Exports for HR (issue 16): shown figures only, readable names, formula-safe; XLSX sheets
Summary/Areas/Items/About, CSV tables with BOM and a choice of separator."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from openpyxl import load_workbook

from survey.domain.anonymity import DISPLAY_ORDER
from survey.domain.questionnaire import load_content
from survey.extensions import db
from survey.models import Campaign, CampaignStatus, Subject
from survey.services.export import GROUP_NAMES, export_chunks, neutralise, write_xlsx
from survey.services.frozen_reports import campaign_reports, freeze_reports
from tests.factories import make_campaign, make_hr_user, make_person
from tests.helpers_reports import sign_in, team_leader_scenario, worked_example


@pytest.fixture
def campaign_id(app: Flask) -> int:
    with app.app_context():
        return worked_example(team="=cmd|' /C calc'!A0").campaign.id


def run_export(runner: FlaskCliRunner, campaign_id: int, fmt: str, tmp_path, *extra: str) -> Path:
    out = tmp_path / f"out-{len(extra)}.{fmt}"
    result = runner.invoke(
        args=["campaign", "export", str(campaign_id), "--format", fmt, "--output", str(out),
              *extra]
    )
    assert result.exit_code == 0, result.output
    return out


def csv_rows(raw: bytes, delimiter: str = ",") -> list[list[str]]:
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))


def sheets_of(path: Path) -> dict[str, list[list[object]]]:
    book = load_workbook(path, read_only=True)
    try:
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}
    finally:
        book.close()


def test_csv_areas_table_has_readable_names_and_only_shown_cells(
    runner: FlaskCliRunner, campaign_id, tmp_path
) -> None:
    rows = csv_rows(run_export(runner, campaign_id, "csv", tmp_path).read_bytes())
    header, body = rows[0], rows[1:]
    assert header[:7] == ["Subject", "E-mail", "Level", "Team", "Section", "Group", "Responses"]
    col = {name: i for i, name in enumerate(header)}
    by_group = {r[col["Group"]]: r for r in body}
    # The worked example's figures (tests/helpers_reports.py); every other cell is checked
    # against the report in test_export_equals_the_report_for_every_subject.
    assert set(by_group) == {"Self", "Manager", "Peers", "All others"}
    assert by_group["All others"][col["Culture and values"]] == "4.63"
    assert by_group["Peers"][col["Responses"]] == "3"
    assert by_group["Peers"][col["Level"]] == "Individual contributor"
    # The peers' improvement area is hidden (2 peers answered): an empty cell.
    assert by_group["Peers"][col["Improvement"]] == ""
    assert by_group["Self"][col["Improvement"]] == "3.00"


def test_csv_items_table_with_semicolons_has_statements(
    runner: FlaskCliRunner, campaign_id, tmp_path
) -> None:
    out = run_export(runner, campaign_id, "csv", tmp_path, "--table", "items", "--delimiter", ";")
    rows = csv_rows(out.read_bytes(), ";")
    header = rows[0]
    assert header == ["Subject", "E-mail", "Level", "Team", "Section", "Area", "Statement",
                      *(GROUP_NAMES[g] for g in DISPLAY_ORDER)]
    statements = {item.key: item.behaviour
                  for item in load_content().level("individual_contributor").items}
    assert {r[6] for r in rows[1:]} <= set(statements.values())
    assert len(rows) - 1 == len(statements)  # every item has a shown cell (self at least)


def test_formula_cells_are_neutralised_in_csv(
    runner: FlaskCliRunner, campaign_id, tmp_path
) -> None:
    rows = csv_rows(run_export(runner, campaign_id, "csv", tmp_path).read_bytes())
    assert {r[3] for r in rows[1:]} == {"'=cmd|' /C calc'!A0"}


def test_formula_text_in_xlsx_is_a_plain_string_without_apostrophe(
    runner: FlaskCliRunner, campaign_id, tmp_path
) -> None:
    book = load_workbook(run_export(runner, campaign_id, "xlsx", tmp_path))
    cell = book["Summary"]["D2"]
    assert cell.value == "=cmd|' /C calc'!A0"
    assert cell.data_type == "s"


def test_a_line_break_in_a_name_stays_inside_its_field(
    app: Flask, runner: FlaskCliRunner, tmp_path
) -> None:
    with app.app_context():
        campaign_id = worked_example(team="Ops\nNorth").campaign.id
    rows = csv_rows(run_export(runner, campaign_id, "csv", tmp_path).read_bytes())
    assert {len(row) for row in rows} == {len(rows[0])}  # no row cut in two
    assert {row[3] for row in rows[1:]} == {"Ops\nNorth"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\tx", "'\tx"), ("\rx", "'\rx"), ("Blue", "Blue"), (3.5, 3.5), ("", "")],
)
def test_neutralise(value, expected) -> None:
    assert neutralise(value) == expected


def hidden_group_campaign() -> Campaign:
    """k = 3; a team leader with 3 peers and 1 direct report: the lone report is merged with
    the peers into Others, so neither Peers nor Direct reports is shown on its own."""
    campaign = make_campaign(name="Spring 360", status=CampaignStatus.CLOSED, min_raters=3)
    team_leader_scenario(campaign, "lead@example.test", peers=3, reports=1,
                         include_next_level=True)
    freeze_reports(campaign)
    db.session.commit()
    return campaign


def test_xlsx_sheets_headers_and_hidden_group(app: Flask, tmp_path) -> None:
    out = tmp_path / "book.xlsx"
    with app.app_context():
        campaign = hidden_group_campaign()
        write_xlsx(campaign, out)
        content = load_content()
    book = load_workbook(out)
    assert book.sheetnames == ["Summary", "Areas", "Items", "About"]
    for name in ("Summary", "Areas", "Items"):
        ws = book[name]
        assert all(c.font.b for c in ws[1] if c.value is not None)
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert ws.column_dimensions["A"].width >= 20
    sheets = sheets_of(out)
    areas_header, *area_rows = sheets["Areas"]
    groups = {r[5] for r in area_rows}
    assert groups == {"Self", "Manager", "Others (small groups combined)", "All others"}
    items_header, *item_rows = sheets["Items"]
    for hidden in ("Peers", "Direct reports"):
        column = items_header.index(hidden)
        assert {r[column] for r in item_rows} == {None}
    statements = {i.behaviour for lv in content.levels for i in lv.items}
    assert {r[6] for r in item_rows} <= statements and len(item_rows) > 10
    assert {r[4] for r in item_rows} == {"Own level", "Readiness: Business leader"}
    keys = {i.key for lv in content.levels for i in lv.items} | {a.key for a in content.areas}
    keys |= set(DISPLAY_ORDER) | {lv.key for lv in content.levels}
    keys |= {s.value for s in CampaignStatus}
    read = {v for rows in sheets.values() for row in rows for v in row if isinstance(v, str)}
    assert read & keys == set()
    about = dict((r[0], r[1]) for r in sheets["About"][1:])
    assert about["Anonymity threshold (k)"] == 3 and about["Campaign"] == "Spring 360"
    assert about["Status"] == "Closed"
    assert "smallest shown group" in about["Small groups"]  # SPEC §7.4's second merge


def test_a_table_longer_than_a_sheet_continues_on_the_next(app: Flask, tmp_path) -> None:
    out = tmp_path / "book.xlsx"
    with app.app_context():
        write_xlsx(hidden_group_campaign(), out, sheet_rows=10)
    sheets = sheets_of(out)
    parts = [name for name in sheets if name.startswith("Items")]
    assert len(parts) > 2 and parts[1] == "Items (2)"
    assert all(len(sheets[p]) <= 10 and sheets[p][0] == sheets["Items"][0] for p in parts)


def test_export_equals_the_report_for_every_subject(app: Flask, tmp_path) -> None:
    """No export-only arithmetic: every score cell is a shown cell of the frozen report."""
    out = tmp_path / "book.xlsx"
    with app.app_context():
        campaign = hostile_campaign()
        write_xlsx(campaign, out)
        content = load_content()
        expected_areas: set[tuple[object, ...]] = set()
        expected_items: set[tuple[object, ...]] = set()
        summary: set[tuple[object, ...]] = set()
        titles = {a.key: a.title for a in content.areas}
        for frozen in campaign_reports(campaign):
            sections = [("Own level", frozen.scored.report)]
            if frozen.scored.readiness is not None:
                sections.append(("Readiness: Business leader", frozen.scored.readiness))
            for section, report in sections:
                doc = report.to_json_parts()
                for c in doc["area_scores"]:
                    expected_areas.add((frozen.subject.email, section, GROUP_NAMES[c["group"]],
                                        titles[c["area"]], c["score"]))
                statements = {i.key: i.behaviour for lv in content.levels for i in lv.items}
                for c in doc["item_scores"]:
                    expected_items.add((frozen.subject.email, section, statements[c["item"]],
                                        GROUP_NAMES[c["group"]], c["score"]))
            for gap in frozen.scored.report.to_json_parts()["gaps"]:
                summary.add((frozen.subject.email, titles[gap["area"]], gap["self"],
                             gap["others"], gap["delta"]))
    sheets = sheets_of(out)
    header, *rows = sheets["Areas"]
    got_areas = {(r[1], r[4], r[5], header[i], v) for r in rows
                 for i, v in enumerate(r) if i >= 7 and v is not None}
    assert got_areas == expected_areas
    header, *rows = sheets["Items"]
    got_items = {(r[1], r[4], r[6], header[i], v) for r in rows
                 for i, v in enumerate(r) if i >= 7 and v is not None}
    assert got_items == expected_items
    header, *rows = sheets["Summary"]
    got_summary = set()
    for r in rows:
        for title in titles.values():
            if f"Gap: {title}" in header and r[header.index(f"Gap: {title}")] is not None:
                got_summary.add((r[1], title, r[header.index(f"Self: {title}")],
                                 r[header.index(f"All others: {title}")],
                                 r[header.index(f"Gap: {title}")]))
    assert got_summary == summary and summary


def test_hr_downloads_the_export_from_the_organisation_page(
    app: Flask, client: FlaskClient, campaign_id
) -> None:
    with app.app_context():
        hr = make_hr_user().id
        db.session.commit()
    sign_in(client, hr)
    page = client.get(f"/reports/organisation/{campaign_id}").get_data(as_text=True)
    assert f"/reports/organisation/{campaign_id}/export.csv" in page
    assert 'value="semicolon"' in page and 'value="items"' in page
    download = client.get(f"/reports/organisation/{campaign_id}/export.csv")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert b"4.63" in download.data and download.data.startswith(b"\xef\xbb\xbf")
    items = client.get(
        f"/reports/organisation/{campaign_id}/export.csv?table=items&delimiter=semicolon"
    )
    assert items.status_code == 200
    assert items.data.decode("utf-8-sig").startswith("Subject;E-mail;Level;Team;Section;Area")
    xlsx = client.get(f"/reports/organisation/{campaign_id}/export.xlsx")
    assert xlsx.data[:2] == b"PK"
    assert client.get(f"/reports/organisation/{campaign_id}/export.pdf").status_code == 404
    bad = client.get(f"/reports/organisation/{campaign_id}/export.csv?delimiter=tab")
    assert bad.status_code == 400 and b"comma or semicolon" in bad.data


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
        rows = csv_rows(b"".join(export_chunks(hostile_campaign(), "csv", "items")))
    assert {len(row) for row in rows} == {len(rows[0])}
    assert len(rows) > 100
    assert {r[4] for r in rows[1:]} == {"Own level", "Readiness: Business leader"}
    assert {r[0] for r in rows[1:]} == {"'=Leader 0", "'=Leader 1", "'=Leader 2", "Alice Example"}
    assert {r[3] for r in rows[1:]} == {"'-ops, \"north\"\nteam", "'+Green", "Blue, team",
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
    alice = [r for r in rows[1:] if r[1] == "alice.renamed@example.test"]
    assert alice and {r[0] for r in alice} == {"'+Alice, renamed"}
    assert {r[3] for r in alice} == {"'-ops, \"north\"\nteam"}


def test_a_control_character_in_the_questionnaire_does_not_break_the_workbook(
    app: Flask, tmp_path
) -> None:
    """A set's texts are not checked for control characters, which XML cannot hold: the
    workbook leaves them out instead of failing halfway through a download."""
    out = tmp_path / "book.xlsx"
    with app.app_context():
        campaign = worked_example(status=CampaignStatus.CLOSED).campaign
        snapshot = load_content().to_snapshot()
        snapshot["areas"][0]["title"] = "Res\x01ults"
        item = snapshot["levels"]["individual_contributor"]["responsibilities"][0]["items"][0]
        item["behaviour"] = "Delivers what\x0b was\x1b promised"
        campaign.questionnaire_snapshot = snapshot
        db.session.commit()
        write_xlsx(campaign, out)
    sheets = sheets_of(out)
    assert "All others: Results" in sheets["Summary"][0]
    assert "Delivers what was promised" in {r[6] for r in sheets["Items"][1:]}


def test_the_download_names_its_charset_once(app: Flask, client: FlaskClient, campaign_id) -> None:
    with app.app_context():
        hr = make_hr_user().id
        db.session.commit()
    sign_in(client, hr)
    download = client.get(f"/reports/organisation/{campaign_id}/export.csv")
    assert download.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_the_semicolon_table_writes_decimal_commas(
    runner: FlaskCliRunner, campaign_id, tmp_path
) -> None:
    """A European Excel (list separator ';') reads 4.63 as a date or text, 4,63 as a number."""
    out = run_export(runner, campaign_id, "csv", tmp_path, "--delimiter", ";")
    rows = csv_rows(out.read_bytes(), ";")
    col = {name: i for i, name in enumerate(rows[0])}
    by_group = {r[col["Group"]]: r for r in rows[1:]}
    assert by_group["All others"][col["Culture and values"]] == "4,63"
    assert by_group["Self"][col["Improvement"]] == "3,00"
    assert by_group["Peers"][col["Responses"]] == "3"
