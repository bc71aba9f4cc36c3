"""Export a campaign's shown figures for HR: XLSX workbook or one CSV table, streamed (SPEC §8).

Every figure is copied from the subjects' frozen reports (`survey.services.frozen_reports`),
which hold shown cells only, so a hidden cell cannot appear and nothing is computed here: an
empty cell is a figure the report does not show. Tables (subjects by id; a subject's own level
section, then its readiness section):

- *Summary*: one row per subject: person columns, then All others per area, Self per area,
  the gap (self − all others, as the report shows it) per area. Own level only.
- *Areas*: one row per subject × section × shown group, with its responses, areas as columns;
  when the subject has a previous campaign (SPEC §11), section "Change since <campaign>": one
  row per group with the change (current − previous) of each area shown in both campaigns.
- *Items*: one row per subject × section × item with a shown cell, the statement as HR reads
  it (the item's behaviour), groups as columns.
- *About* (XLSX only): campaign, k, what is hidden and why.

Area columns are every area of the campaign's questionnaire in spoke order; names are area
titles, level titles and group labels, never internal keys. XLSX: bold frozen header,
autofilter, column widths, scores as 0.00 number cells, text as explicit string cells (a
spreadsheet never runs them as a formula, and no apostrophe shows; a control character XML
cannot hold, which a questionnaire set's text may carry, is left out). A table longer than an
Excel sheet (1,048,576 rows) continues on "Items (2)", ... CSV: UTF-8 with BOM, comma or
semicolon (then decimal commas), text cells that a spreadsheet could run as a formula
(starting with = + - @, tab or carriage return) prefixed with a single quote (OWASP CSV
injection advice).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from survey.domain.anonymity import DISPLAY_ORDER, LABELS
from survey.domain.report import SubjectReport
from survey.domain.trend import find_trend
from survey.errors import SurveyError
from survey.models import Campaign
from survey.services.frozen_reports import FrozenSubject, campaign_reports, require_results
from survey.services.questionnaires import campaign_content
from survey.services.trend import previous_reports

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
TABLES = ("areas", "items")
DELIMITERS = (",", ";")
PERSON = ("Subject", "E-mail", "Level", "Team")
GROUP_NAMES = {**LABELS, "manager": "Manager", "all_others": "All others"}
OWN_LEVEL = "Own level"
RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHARS_PER_CHUNK = 1 << 19
SHEET_ROWS = 1_048_576  # Excel's limit, header included

Row = tuple[Any, ...]


def neutralise(value: Any) -> Any:
    """Return a text cell prefixed with ' when a spreadsheet could read it as a formula."""
    if isinstance(value, str) and value.startswith(RISKY_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class SubjectRows:
    """One subject's rows in each table (Summary: one row)."""

    summary: Row
    areas: list[Row]
    items: list[Row]


class ExportTables:
    """The export's tables of one closed or released campaign, built from its frozen reports.

    Cells: text as str, scores as float (2 decimals, SPEC §7.9), counts as int, None where the
    report shows nothing. Raises InvalidState while the campaign is draft or open.
    """

    def __init__(self, campaign: Campaign) -> None:
        require_results(campaign)
        self.campaign = campaign
        content = campaign_content(campaign)
        used = {item.area for level in content.levels for item in level.items}
        self.areas = [(a.key, a.title) for a in content.areas if a.key in used]
        self.level_titles = {level.key: level.title for level in content.levels}
        self.previous = previous_reports(campaign)
        self.statements = {
            item.key: item.behaviour for level in content.levels for item in level.items
        }
        self.headers = {
            "summary": (
                *PERSON,
                *(f"All others: {title}" for _, title in self.areas),
                *(f"Self: {title}" for _, title in self.areas),
                *(f"Gap: {title}" for _, title in self.areas),
            ),
            "areas": (*PERSON, "Section", "Group", "Responses", *(t for _, t in self.areas)),
            "items": (
                *PERSON,
                "Section",
                "Area",
                "Statement",
                *(GROUP_NAMES[g] for g in DISPLAY_ORDER),
            ),
        }

    def subjects(self) -> Iterator[SubjectRows]:
        """Yield every subject's rows, subjects by id."""
        for frozen in campaign_reports(self.campaign):
            yield self._rows(frozen)

    def _rows(self, frozen: FrozenSubject) -> SubjectRows:
        s, scored = frozen.subject, frozen.scored
        person = (s.name, s.email, self.level_titles.get(s.level, s.level), s.team)
        sections = [(OWN_LEVEL, scored.report)]
        if scored.readiness is not None and scored.readiness_level is not None:
            title = self.level_titles.get(scored.readiness_level, scored.readiness_level)
            sections.append((f"Readiness: {title}", scored.readiness))
        areas = [r for name, report in sections for r in self._area_rows(person, name, report)]
        before = self.previous.get(s.id)
        if before is not None:
            areas += self._change_rows(person, before.campaign_name, scored.report, before.report)
        return SubjectRows(
            self._summary(person, scored.report),
            areas,
            [r for name, report in sections for r in self._item_rows(person, name, report)],
        )

    def _summary(self, person: Row, report: SubjectReport) -> Row:
        others = {c.area: c.score for c in report.area_scores if c.group == "all_others"}
        own = {c.area: c.score for c in report.area_scores if c.group == "self"}
        gaps = {g.area: g.delta for g in report.gaps}
        return (
            *person,
            *(others.get(key) for key, _ in self.areas),
            *(own.get(key) for key, _ in self.areas),
            *(gaps.get(key) for key, _ in self.areas),
        )

    def _area_rows(self, person: Row, section: str, report: SubjectReport) -> Iterator[Row]:
        scores: dict[str, dict[str, float]] = {}
        for c in report.area_scores:
            scores.setdefault(c.group, {})[c.area] = c.score
        responses = {g.key: g.responses for g in report.groups}
        for group in report.shown_groups():
            found = scores.get(group, {})
            yield (
                *person,
                section,
                GROUP_NAMES[group],
                responses.get(group),
                *(found.get(key) for key, _ in self.areas),
            )

    def _change_rows(
        self, person: Row, campaign_name: str, report: SubjectReport, before: SubjectReport
    ) -> list[Row]:
        """Per group, the change of each area shown in both campaigns (SPEC §11)."""
        changes: dict[str, dict[str, float]] = {}
        for c in find_trend(report, before):
            changes.setdefault(c.group, {})[c.area] = c.delta
        return [
            (
                *person,
                f"Change since {campaign_name}",
                GROUP_NAMES[group],
                None,
                *(changes[group].get(key) for key, _ in self.areas),
            )
            for group in DISPLAY_ORDER
            if group in changes
        ]

    def _item_rows(self, person: Row, section: str, report: SubjectReport) -> Iterator[Row]:
        cells: dict[str, dict[str, float]] = {}
        for c in report.item_scores:
            cells.setdefault(c.item, {})[c.group] = c.score
        titles = {a.key: a.title for a in report.areas}
        for area in report.areas:
            for item in area.items:
                found = cells.get(item)
                if found is None:
                    continue
                yield (
                    *person,
                    section,
                    titles[area.key],
                    self.statements.get(item, ""),
                    *(found.get(g) for g in DISPLAY_ORDER),
                )

    def about(self) -> list[Row]:
        """The About sheet: campaign facts and what is hidden and why (SPEC §7)."""
        c = self.campaign
        k = c.min_raters
        return [
            ("Campaign", c.name),
            ("Status", c.status.value.capitalize()),  # Closed, Released
            ("Anonymity threshold (k)", k),
            ("Figures", "Only what each person's report shows, rounded half up to 2 decimals."),
            (
                "Self and manager",
                "Identifiable groups: always shown to the person, labelled as such.",
            ),
            (
                "Small groups",
                f"Peers or direct reports with fewer than {k} responses are combined into "
                f"“Others (small groups combined)”; if that still has fewer than {k}, it is "
                "combined with the smallest shown group of peers or direct reports, which is then "
                f"no longer shown on its own; with fewer than {k} anonymous responses in all, "
                "nothing anonymous is shown.",
            ),
            (
                "Empty cells",
                f"A figure that rests on fewer than {k} answers (or raters) is hidden, and every "
                "total is computed from shown figures only, so no hidden figure can be worked "
                "out by subtraction.",
            ),
            ("Gap", "Self minus all others, on the rounded area scores the report shows."),
            ("Comments", "Not exported: they are read in each person's report."),
        ]


def csv_chunks(campaign: Campaign, table: str = "areas", delimiter: str = ",") -> Iterator[bytes]:
    """Yield one table (`areas` or `items`) as UTF-8 CSV bytes (BOM first), ~512 KB at a time.

    Scores with 2 decimals (SPEC §7.9; a decimal comma with the semicolon, as a European
    Excel reads numbers), hidden figures empty. Raises SurveyError for an
    unknown table or delimiter, InvalidState while the campaign is draft or open.
    """
    if table not in TABLES:
        raise SurveyError(f"unknown table {table!r}; expected one of: {', '.join(TABLES)}")
    if delimiter not in DELIMITERS:
        raise SurveyError("the delimiter is a comma or a semicolon")
    tables = ExportTables(campaign)
    decimal = "," if delimiter == ";" else "."  # a ';' Excel reads 4.63 as a date or text
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(tables.headers[table])
    for subject in tables.subjects():
        writer.writerows(_csv_row(row, decimal) for row in getattr(subject, table))
        if buffer.tell() >= CHARS_PER_CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _csv_row(row: Row, decimal: str = ".") -> list[Any]:
    return [
        "" if v is None else _score(v, decimal) if type(v) is float else neutralise(v)
        for v in row
    ]


def _score(value: float, decimal: str) -> str:
    text = f"{value:.2f}"
    return text if decimal == "." else text.replace(".", decimal)


class _Sheet:
    """A write-only sheet with a bold frozen header, widths and autofilter, that continues on
    a new sheet ("Items (2)", ...) before Excel's row limit."""

    def __init__(
        self, workbook: Workbook, title: str, header: Sequence[str], widths: Sequence[int],
        limit: int,
    ) -> None:  # fmt: skip
        self.workbook, self.title, self.header, self.widths = workbook, title, header, widths
        self.limit, self.parts = limit, 0
        self._open()

    def _open(self) -> None:
        self.parts += 1
        title = self.title if self.parts == 1 else f"{self.title} ({self.parts})"
        self.sheet: WriteOnlyWorksheet = self.workbook.create_sheet(title)
        for column, width in enumerate(self.widths, start=1):
            self.sheet.column_dimensions[get_column_letter(column)].width = width
        self.sheet.freeze_panes = "A2"
        last = get_column_letter(len(self.header))
        self.sheet.auto_filter.ref = f"A1:{last}{self.limit}"
        bold = Font(bold=True)
        self.sheet.append([self._text(h, bold) for h in self.header])
        self.rows = 1

    def append(self, row: Row) -> None:
        if self.rows >= self.limit:
            self._open()
        self.sheet.append([self._cell(v) for v in row])
        self.rows += 1

    def _cell(self, value: Any) -> Any:
        if type(value) is float:
            cell = WriteOnlyCell(self.sheet, value=value)
            cell.number_format = "0.00"
            return cell
        if isinstance(value, str):
            return self._text(value)
        return value

    def _text(self, value: str, font: Font | None = None) -> WriteOnlyCell:
        try:
            cell = WriteOnlyCell(self.sheet, value=value)
        except IllegalCharacterError:  # a control character XML cannot hold: left out
            cell = WriteOnlyCell(self.sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # a string, even when it starts like a formula
        if font is not None:
            cell.font = font
        return cell


def write_xlsx(
    campaign: Campaign, target: IO[bytes] | str | Path, sheet_rows: int = SHEET_ROWS
) -> None:
    """Write the campaign's export workbook (Summary, Areas, Items, About) in write-only mode.

    `sheet_rows` (header included) is the most rows a sheet gets before it continues on the
    next. Raises InvalidState while the campaign is draft or open.
    """
    tables = ExportTables(campaign)
    workbook = Workbook(write_only=True)
    person = (28, 32, 22, 22)
    n_areas = len(tables.areas)
    sheets = {
        "summary": _Sheet(workbook, "Summary", tables.headers["summary"],
                          (*person, *[14] * 3 * n_areas), sheet_rows),
        "areas": _Sheet(workbook, "Areas", tables.headers["areas"],
                        (*person, 24, 30, 11, *[14] * n_areas), sheet_rows),
        "items": _Sheet(workbook, "Items", tables.headers["items"],
                        (*person, 24, 24, 60, *[12] * len(DISPLAY_ORDER)), sheet_rows),
    }  # fmt: skip
    for subject in tables.subjects():
        sheets["summary"].append(subject.summary)
        for row in subject.areas:
            sheets["areas"].append(row)
        for row in subject.items:
            sheets["items"].append(row)
    about = _Sheet(workbook, "About", ("About this export", ""), (28, 100), sheet_rows)
    for row in tables.about():
        about.append(row)
    workbook.save(target)


def export_chunks(
    campaign: Campaign, fmt: str, table: str = "areas", delimiter: str = ","
) -> Iterator[bytes]:
    """Yield the export file's bytes in chunks (XLSX goes through a temporary file)."""
    if fmt == "csv":
        yield from csv_chunks(campaign, table, delimiter)
        return
    with tempfile.TemporaryFile() as spool:
        write_xlsx(campaign, spool)
        spool.seek(0)
        while chunk := spool.read(1 << 16):
            yield chunk


def file_name(campaign: Campaign, fmt: str, table: str = "areas") -> str:
    """Return a safe download file name like `campaign-3-areas.csv` or `campaign-3.xlsx`."""
    if fmt == "csv":
        return f"campaign-{campaign.id}-{table}.csv"
    return f"campaign-{campaign.id}.{fmt}"
