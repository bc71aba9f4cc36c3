"""The rows of a campaign export, read once and shaped once per distinct value (SPEC §8).

An export of 10,000 subjects holds ~2.4 million shown cells, so nothing is done per cell at
export time. When a subject's report is frozen (`report_cache`, at close) its shown cells are
also stored as the export's text after the person columns (`ExportText`, built by
`CellLines`): one line per shown cell in export order, neutralised and quoted once. The CSV
export then reads one row per subject (`subject_texts`) and puts the person columns (current
name and e-mail; level and team as frozen) in front of each line.

The same lines are built from the shown cells (`shown_score`), which XLSX reads (`subject_cells`)
and which fills the text of subjects frozen before it was stored (`stored_cells`): text that
could be a formula is neutralised once per subject (name, e-mail, level, team) and once per cell
kind (section, kind, area, its title, item, group); scores are formatted once per distinct
(score, n, na). The cells come from one Core query ordered by the index
`shown_score (campaign_id, subject_id)`, so they stream in subject order without a sort of the
whole campaign; within a subject they are ordered in Python.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from sqlalchemy import String, case, cast, select

from survey.domain.anonymity import DISPLAY_ORDER
from survey.domain.questionnaire import LEVELS, area_items
from survey.extensions import db
from survey.models import Campaign, Person, Subject
from survey.models_reports import ExportText, ShownScore
from survey.services.questionnaires import campaign_content

HEADER = (
    "campaign",
    "subject",
    "email",
    "level",
    "team",
    "section",
    "kind",
    "area",
    "area_title",
    "item",
    "group",
    "score",
    "n",
    "na",
)
RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_FETCH = 2000
ROWS_PER_TEXT_FETCH = 100  # subjects: ~20 KB of text each
SEP = "\x1f"  # joins a cell's key columns in SQL (identifiers from the questionnaire)


def neutralise(value: Any) -> Any:
    """Return a text cell prefixed with ' when a spreadsheet could read it as a formula."""
    if isinstance(value, str) and value.startswith(RISKY_STARTS):
        return "'" + value
    return value


def csv_text(values: Sequence[Any]) -> str:
    """Return `values` as CSV fields joined by commas, quoted as csv.writer quotes them.

    A field holding a line break is quoted too (RFC 4180): csv.writer quotes one only when it
    holds a character of its line terminator, so the row is written with CRLF and cut after.
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()[:-2]


@dataclass(frozen=True)
class Part:
    """Part of an export row: its values (neutralised) and the same as CSV text ending in ','."""

    values: tuple[Any, ...]
    text: str


Cell = tuple[int, Part, Part, Part]
"""One shown cell: its rank within the subject, then its row in three parts: person (campaign,
subject, email, level, team), kind (section, kind, area, area_title, item, group) and figures
(score, n, na; na is "" on an area cell; the text ends the row with CRLF)."""


def subject_cells(campaign: Campaign) -> Iterator[list[Cell]]:
    """Yield each subject's shown cells (`Cell`) in export order, subjects by id.

    Within a subject: section (level, then readiness), areas before items, spoke order, item
    order, group display order (SPEC §9).
    """
    people = _people(campaign)
    kinds = _Kinds(campaign)
    figures = _Figures()
    persons: dict[tuple[int, str, str], Part] = {}
    for _, rows in groupby(_stream(campaign), key=lambda row: row[0]):
        cells = []
        for subject_id, level, team, kind_key, figure_key in rows:
            person = persons.get((subject_id, level, team))
            if person is None:
                persons.clear()  # one subject at a time
                person = persons[subject_id, level, team] = _person(
                    campaign, people[subject_id], level, team
                )
            rank, kind = kinds[kind_key]
            cells.append((rank, person, kind, figures[figure_key]))
        cells.sort(key=_rank)
        yield cells


def _rank(cell: Cell) -> int:
    return cell[0]


class CellLines:
    """A campaign's shown cells as the export's text after the person columns (`ExportText`).

    `text` takes one subject's cells as (kind key, figure key) — the strings `cell_keys` makes
    and `shown_score`'s query gives — and returns their lines in export order, each ending CRLF.
    """

    def __init__(self, campaign: Campaign) -> None:
        self.kinds = _Kinds(campaign)
        self.figures = _Figures()

    def text(self, cells: Iterable[tuple[str, str]]) -> str:
        kinds, figures = self.kinds, self.figures
        lines = []
        for kind_key, figure_key in cells:
            rank, kind = kinds[kind_key]
            lines.append((rank, kind.text + figures[figure_key].text))
        lines.sort(key=_rank_of_line)
        return "".join(line for _, line in lines)


def _rank_of_line(line: tuple[int, str]) -> int:
    return line[0]


def cell_keys(
    section: str, kind: str, area: str, item: str, group: str, centi: int, n: int, na: int
) -> tuple[str, str]:
    """A shown cell's (kind key, figure key) for `CellLines.text`, as `_stream` builds in SQL."""
    return (
        f"{section}{SEP}{kind}{SEP}{area}{SEP}{item}{SEP}{group}",
        f"{centi},{n},{na if kind == 'item' else ''}",
    )


def lines_split_cleanly(campaign: Campaign) -> bool:
    """True when CRLF ends lines only: no area title or key of the campaign holds one.

    The export puts the person columns in front of each stored line by replacing CRLF; a title
    holding CRLF (quoted inside its field) would be cut there, so such a campaign is exported
    from the shown cells instead.
    """
    content = campaign_content(campaign)
    texts = [a.key for a in content.areas] + [a.title for a in content.areas]
    texts += [item for level in LEVELS for _, _, items in area_items(level, content)
              for item in items]
    return not any("\r\n" in text for text in texts)


def subject_texts(campaign: Campaign) -> Iterator[tuple[str, str]]:
    """Yield (person columns as CSV text ending in ',', stored lines) per subject, by id.

    Reads `export_text` in subject order as a stream; the person columns are the campaign's
    and subject's current names and e-mail, with level and team as stored at close.
    """
    people = _people(campaign)
    table = ExportText.__table__.c
    rows = db.session.connection().execute(
        select(table.subject_id, table.level, table.team, table.body)
        .where(table.campaign_id == campaign.id)
        .order_by(table.subject_id)
        .execution_options(stream_results=True, yield_per=ROWS_PER_TEXT_FETCH)
    )
    for subject_id, level, team, body in rows:
        yield _person(campaign, people[subject_id], level, team).text, body


def stored_cells(
    campaign: Campaign, subject_ids: Sequence[int]
) -> Iterator[tuple[int, str, str, list[tuple[str, str]]]]:
    """Yield (subject id, level, team, cells for `CellLines.text`) of these subjects' stored
    shown cells, by subject id; a subject without shown cells is not yielded."""
    rows = _stream(campaign, subject_ids)
    for subject_id, group in groupby(rows, key=lambda row: row[0]):
        cells = list(group)
        _, level, team, _, _ = cells[0]
        yield subject_id, level, team, [(kind, figures) for _, _, _, kind, figures in cells]


def _stream(campaign: Campaign, subject_ids: Sequence[int] | None = None) -> Any:
    table = ShownScore.__table__.c
    na = case((table.kind == "item", cast(table.na, String)), else_="")
    query = (
        select(
            table.subject_id,
            table.level,
            table.team,
            table.section
            + SEP
            + table.kind
            + SEP
            + table.area
            + SEP
            + table.item
            + SEP
            + table.rater_group,
            cast(table.score_centi, String) + "," + cast(table.n, String) + "," + na,
        )
        .where(table.campaign_id == campaign.id)
        .order_by(table.subject_id)
        .execution_options(stream_results=True, yield_per=ROWS_PER_FETCH)
    )
    if subject_ids is not None:
        query = query.where(table.subject_id.in_(subject_ids))
    return db.session.connection().execute(query)


def _people(campaign: Campaign) -> dict[int, tuple[str, str]]:
    """Subject id → (name, e-mail) of every subject of the campaign."""
    rows = db.session.execute(
        select(Subject.id, Subject.name, Person.email)
        .join(Person, Subject.person_id == Person.id)
        .where(Subject.campaign_id == campaign.id)
    )
    return {sid: (name, email) for sid, name, email in rows}


def _person(campaign: Campaign, name_email: tuple[str, str], level: str, team: str) -> Part:
    return _part(tuple(neutralise(v) for v in (campaign.name, *name_email, level, team)), ",")


class _Kinds(dict[str, tuple[int, Part]]):
    """'section␟kind␟area␟item␟group' → (rank within the subject, the row's middle part)."""

    def __init__(self, campaign: Campaign) -> None:
        super().__init__()
        content = campaign_content(campaign)
        self.titles = {a.key: a.title for a in content.areas}
        self.spoke: dict[str, int] = {}
        self.item_pos: dict[str, int] = {}
        for level in LEVELS:
            for key, _, items in area_items(level, content):
                self.spoke.setdefault(key, len(self.spoke))
                for item in items:
                    self.item_pos.setdefault(item, len(self.item_pos))
        self.groups = {g: i for i, g in enumerate(DISPLAY_ORDER)}

    def __missing__(self, key: str) -> tuple[int, Part]:
        section, kind, area, item, group = key.split(SEP)
        rank = (
            (((section != "level") * 2 + (kind != "area")) * 1000 + self.spoke.get(area, 999))
            * 10**6
            + self.item_pos.get(item, -1)
            + 1
        )
        values = tuple(
            neutralise(v) for v in (section, kind, area, self.titles.get(area, area), item, group)
        )
        found = self[key] = (rank * 1000 + self.groups.get(group, 999), _part(values, ","))
        return found


class _Figures(dict[str, Part]):
    """'score_centi,n,na' → (score with 2 decimals, n, na) as values and as CSV text + CRLF."""

    def __missing__(self, key: str) -> Part:
        centi, n, na = key.split(",")
        score = int(centi) / 100
        values = (score, int(n), int(na) if na else "")
        found = self[key] = Part(values, f"{score:.2f},{n},{na}\r\n")
        return found


def _part(values: tuple[Any, ...], end: str) -> Part:
    return Part(values, csv_text(values) + end)
