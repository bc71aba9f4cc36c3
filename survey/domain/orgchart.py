"""Parse and check an org-chart CSV before anything is imported (SPEC §4).

Columns `email,name,level,manager_email,team,language` (header names case-insensitive, any order,
extra columns ignored, `team` and `language` optional; SPEC §4, §14). UTF-8 with or without BOM;
comma or semicolon, sniffed from the header line. E-mails are compared lower-case.
All-or-nothing: `parse_org_chart` returns the rows only when every row is good, otherwise raises
`OrgChartError` listing every bad row with its line number (1 = the header line) and reason.
"""

from __future__ import annotations

import csv
import io
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from survey.domain.content import LEVELS
from survey.domain.languages import LANGUAGES, normalise_language
from survey.domain.text import name_problems
from survey.errors import SurveyError

REQUIRED_COLUMNS = ("email", "name", "level", "manager_email")
OPTIONAL_COLUMNS = ("team", "language")
MAX_TEXT = 200  # Person.name and Person.team are VARCHAR(200)
CYCLE_NAMES = 12  # a longer manager cycle is named by its first few people and its size
MAX_LISTED_PROBLEMS = 200  # pages and the CLI list this many bad rows, then "and N more"
# Friendly spellings HR tools export, mapped to SPEC §2 level keys.
LEVEL_ALIASES = {"ic": "individual_contributor", "tl": "team_leader", "bl": "business_leader"}


@dataclass(frozen=True)
class PersonRow:
    """One good row: lower-case e-mails, stripped texts, a known level key."""

    line: int
    email: str
    name: str
    level: str
    manager_email: str | None
    team: str
    # A key of LANGUAGES; "" = the app's default language; None = no `language` column in the
    # file, so a re-import keeps whatever language the person has.
    language: str | None = None


@dataclass(frozen=True)
class RowProblem:
    """Why one line of the file cannot be imported."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class OrgChartError(SurveyError):
    """The file has bad rows; nothing may be imported. `problems` lists every one in line order."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = sorted(problems, key=lambda problem: problem.line)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"nothing imported: {count} {noun} in the file")


def parse_org_chart(
    data: bytes, existing_managers: Mapping[str, str | None] | None = None
) -> list[PersonRow]:
    """Return every row of a good file; raise OrgChartError naming every bad row.

    `existing_managers` maps e-mails of people already imported to their manager's e-mail: a
    manager may be someone already in the database, and cycles are checked through them too.
    """
    existing = dict(existing_managers or {})
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        columns = _columns(next(reader, None))
        rows, problems = _read_rows(reader, columns)
    except csv.Error as error:  # e.g. a cell over the csv module's 128 KiB field limit
        reason = f"this line cannot be read as CSV ({error}); check its quotes and length"
        raise OrgChartError([RowProblem(max(reader.line_num, 1), reason)]) from None
    problems += _check_references(rows, existing)
    if problems:
        raise OrgChartError(problems)
    return rows


def normalise_email(value: str) -> str:
    """An e-mail as stored and compared: stripped and lower-case."""
    return value.strip().lower()


def normalise_level(value: str) -> str | None:
    """A level key from 'team_leader', 'Team leader', 'team-leader' or 'TL'; None if unknown."""
    key = "_".join(value.strip().lower().replace("-", " ").split())
    key = LEVEL_ALIASES.get(key, key)
    return key if key in LEVELS else None


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise OrgChartError(
            [RowProblem(line, "the file is not UTF-8 text; save it as 'CSV UTF-8' and retry")]
        ) from None
    if not text.strip():
        raise OrgChartError([RowProblem(1, "the file is empty; expected a header line")])
    return text


def _sniff_delimiter(text: str) -> str:
    header = text.splitlines()[0] if text else ""
    return ";" if header.count(";") > header.count(",") else ","


def _columns(header: list[str] | None) -> dict[str, int]:
    names = [cell.strip().lower() for cell in header or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        listed = ", ".join(missing)
        raise OrgChartError(
            [RowProblem(1, f"missing column header {listed} (expected {','.join(_ALL)})")]
        )
    return {name: names.index(name) for name in _ALL if name in names}


_ALL = REQUIRED_COLUMNS + OPTIONAL_COLUMNS


def _read_rows(
    reader: Iterator[list[str]], columns: dict[str, int]
) -> tuple[list[PersonRow], list[RowProblem]]:
    rows: list[PersonRow] = []
    problems: list[RowProblem] = []
    first_line: dict[str, int] = {}
    checked: dict[str, bool] = {}  # address shape → valid: each shape is validated once
    line = 1
    for cells in reader:
        line = reader.line_num  # type: ignore[attr-defined]
        if not any(cell.strip() for cell in cells):
            continue
        row, reasons = _read_row(line, cells, columns, checked)
        if row is not None and row.email in first_line:
            reasons.append(f"duplicate e-mail {row.email} (first on line {first_line[row.email]})")
        elif row is not None:
            first_line[row.email] = line
            rows.append(row)  # checked for manager references even when it has other problems
        problems += [RowProblem(line, reason) for reason in reasons]
    return rows, problems


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _read_row(
    line: int, cells: list[str], columns: dict[str, int], checked: dict[str, bool]
) -> tuple[PersonRow | None, list[str]]:
    reasons: list[str] = []
    email = _checked_email(_cell(cells, columns, "email"), "e-mail", reasons, checked)
    name = _cell(cells, columns, "name")
    if not name:
        reasons.append("missing name")
    team = _cell(cells, columns, "team")
    _check_text(name, "name", reasons)
    _check_text(team, "team", reasons)
    raw_level = _cell(cells, columns, "level")
    level = normalise_level(raw_level)
    if level is None:
        known = ", ".join(LEVELS)
        reasons.append(f"unknown level {raw_level!r} (use one of {known})")
    raw_manager = _cell(cells, columns, "manager_email")
    manager = (
        _checked_email(raw_manager, "manager e-mail", reasons, checked) if raw_manager else None
    )
    language = _checked_language(cells, columns, reasons)
    if email is None:
        return None, reasons
    row = PersonRow(line, email, name, level or "", manager, team, language)
    return row, reasons


def _checked_language(
    cells: list[str], columns: dict[str, int], reasons: list[str]
) -> str | None:
    """The row's language key, "" for an empty cell, None without the column (SPEC §14)."""
    if "language" not in columns:
        return None
    raw = _cell(cells, columns, "language")
    if not raw:
        return ""
    language = normalise_language(raw)
    if language is None:
        known = ", ".join(LANGUAGES)
        reasons.append(f"unknown language {raw!r} (use one of {known}, or leave it empty)")
    return language or ""


def _check_text(value: str, what: str, reasons: list[str]) -> None:
    """Names and teams fit their columns (200 characters) and hold no control characters or
    text-direction overrides (`survey.domain.text`)."""
    if len(value) > MAX_TEXT:
        reasons.append(f"{what} is {len(value)} characters long (at most {MAX_TEXT})")
    reasons += name_problems(value, what)


def _checked_email(
    value: str, what: str, reasons: list[str], checked: dict[str, bool]
) -> str | None:
    """The normalised address, or None with a reason; `checked` remembers earlier answers."""
    if not value:
        reasons.append(f"empty {what}")
        return None
    shape = address_shape(value)
    if shape not in checked:
        checked[shape] = _is_valid_email(value)
    if not checked[shape]:
        reasons.append(f"invalid {what} {value!r}")
        return None
    return normalise_email(value)


# Every ASCII letter and digit is an ordinary character of an address's local part: the
# validator's rules (which characters, where the dots are, how long) never depend on which
# letter or digit stands where. So "ana.alves@acme.test" and "bob.smith@acme.test" are valid
# or not together, and a file of 20,000 people needs a few hundred validations, not 20,000
# (each costs about 40 µs).
_ALNUM_TO_A = str.maketrans(string.ascii_letters + string.digits, "a" * 62)


def address_shape(value: str) -> str:
    """`value` with each ASCII letter and digit before the last @ replaced by `a`: addresses
    of one shape are valid or invalid together."""
    local, at, domain = value.rpartition("@")
    return local.translate(_ALNUM_TO_A) + at + domain if at else value


def _is_valid_email(value: str) -> bool:
    try:
        validate_email(value, check_deliverability=False, test_environment=True)
    except EmailNotValidError:
        return False
    return True


def _check_references(rows: list[PersonRow], existing: dict[str, str | None]) -> list[RowProblem]:
    managers = dict(existing)
    managers.update({row.email: row.manager_email for row in rows})
    problems = [
        RowProblem(row.line, f"unknown manager {row.manager_email}")
        for row in rows
        if row.manager_email is not None and row.manager_email not in managers
    ]
    lines = {row.email: row.line for row in rows}
    for cycle in find_manager_cycles(managers):
        problems += _cycle_problems(cycle, lines)
    return problems


def _cycle_problems(cycle: list[str], lines: Mapping[str, int]) -> list[RowProblem]:
    """One problem per row of the file in `cycle`: the first names the cycle, the rest point
    to it, so the report grows linearly with the cycle (a 20,000-person cycle is one line of
    names, not 20,000 chains of 20,000)."""
    in_file = sorted((lines[email], email) for email in cycle if email in lines)
    if not in_file:
        return []
    first_line, first = in_file[0]
    start = cycle.index(first)
    chain = cycle[start:] + cycle[:start]
    problems = [RowProblem(first_line, describe_cycle(chain))]
    problems += [
        RowProblem(line, f"part of the manager cycle named on line {first_line}")
        for line, _ in in_file[1:]
    ]
    return problems


def describe_cycle(chain: list[str]) -> str:
    """'manager cycle: a → b → c → a', with at most CYCLE_NAMES names of a long cycle.

    `chain` lists each person once, each followed by their manager; the last one's manager is
    the first.
    """
    if len(chain) == 1:
        return f"manager cycle: {chain[0]} is their own manager"
    if len(chain) <= CYCLE_NAMES:
        return "manager cycle: " + " → ".join([*chain, chain[0]])
    shown = " → ".join(chain[: CYCLE_NAMES - 1])
    return f"manager cycle of {len(chain):,} people: {shown} → … → {chain[-1]} → {chain[0]}"


def find_manager_cycles(managers: Mapping[str, str | None]) -> list[list[str]]:
    """Every manager cycle, each as its people in manager order; linear in the org's size.

    A person merely below a cycle (managed into it) is not part of it.
    """
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cycles: list[list[str]] = []
    for start in managers:
        path: list[str] = []
        position: dict[str, int] = {}
        current: str | None = start
        while current is not None and current in managers and current not in state:
            state[current] = 1
            position[current] = len(path)
            path.append(current)
            current = managers[current]
        if current is not None and state.get(current) == 1:
            cycles.append(path[position[current] :])
        for email in path:
            state[email] = 2
    return cycles
