"""Org-chart CSV: Excel files import exactly; any bad row imports nothing and is named (SPEC §4)."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from survey.domain.orgchart import MAX_LISTED_PROBLEMS, OrgChartError, parse_org_chart
from survey.extensions import db
from survey.models import Person
from survey.services.orgchart import import_people
from tests.factories import make_hr_user
from tests.helpers_campaigns import EXCEL_CSV, PASSWORD, AuthActions, csrf_token

HEADER = "email,name,level,manager_email,team\n"
BOSS = "boss@example.test,Bea Boss,business_leader,,Exec\n"


def problems_of(csv_text: str | bytes, existing: dict[str, str | None] | None = None) -> list[str]:
    data = csv_text.encode() if isinstance(csv_text, str) else csv_text
    with pytest.raises(OrgChartError) as caught:
        parse_org_chart(data, existing)
    return [str(problem) for problem in caught.value.problems]


def test_excel_csv_parses_exactly() -> None:
    rows = parse_org_chart(EXCEL_CSV.read_bytes())
    assert [(r.line, r.email, r.name, r.level, r.manager_email, r.team) for r in rows[:3]] == [
        (2, "zoe.angstrom@example.test", "Zoë Ångström", "business_leader", None, "Direction"),
        (
            3,
            "jose.muller@example.test",
            "José Müller",
            "team_leader",
            "zoe.angstrom@example.test",
            "Opérations",
        ),
        (
            4,
            "francois@example.test",
            "François Lefèvre",
            "team_leader",
            "zoe.angstrom@example.test",
            "Opérations",
        ),
    ]
    assert rows[-1].name == "Renée O'Brien; Jr"  # a quoted semicolon stays in the name
    assert len(rows) == 10


def test_comma_file_without_bom_and_friendly_level_names() -> None:
    rows = parse_org_chart(
        (HEADER + BOSS + "a@example.test,Al,Team leader,BOSS@example.test,\n").encode()
    )
    assert [(r.email, r.level, r.manager_email) for r in rows] == [
        ("boss@example.test", "business_leader", None),
        ("a@example.test", "team_leader", "boss@example.test"),
    ]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            "a@example.test,Al,manager,boss@example.test,T\n",
            "line 3: unknown level 'manager' (use one of individual_contributor, team_leader, "
            "business_leader)",
        ),
        (
            "a@example.test,Al,team_leader,ghost@example.test,T\n",
            "line 3: unknown manager ghost@example.test",
        ),
        (
            "BOSS@example.test,Bea Again,team_leader,,T\n",
            "line 3: duplicate e-mail boss@example.test (first on line 2)",
        ),
        (",Al,team_leader,boss@example.test,T\n", "line 3: empty e-mail"),
        (
            "al@@example,Al,team_leader,boss@example.test,T\n",
            "line 3: invalid e-mail 'al@@example'",
        ),
        (
            "a@example.test,Al,team_leader,not-an-email,T\n",
            "line 3: invalid manager e-mail 'not-an-email'",
        ),
        ("a@example.test,,team_leader,boss@example.test,T\n", "line 3: missing name"),
        (
            "a@example.test,Al,team_leader,a@example.test,T\n",
            "line 3: manager cycle: a@example.test is their own manager",
        ),
    ],
)
def test_each_bad_row_reason_is_named_with_its_line(rows: str, expected: str) -> None:
    assert problems_of(HEADER + BOSS + rows) == [expected]


def test_manager_cycle_names_every_row_in_the_cycle() -> None:
    text = (
        HEADER
        + BOSS
        + (
            "a@example.test,Al,team_leader,b@example.test,T\n"
            "b@example.test,Bo,team_leader,a@example.test,T\n"
            "c@example.test,Cy,individual_contributor,a@example.test,T\n"  # below the cycle: fine
        )
    )
    assert problems_of(text) == [
        "line 3: manager cycle: a@example.test → b@example.test → a@example.test",
        "line 4: part of the manager cycle named on line 3",
    ]


def cycle_csv(size: int) -> bytes:
    """`size` people, each managed by the next, the last by the first: one long cycle."""
    rows = [
        f"p{i}@example.test,Person {i},team_leader,p{(i + 1) % size}@example.test,Ops\n"
        for i in range(size)
    ]
    return (HEADER + "".join(rows)).encode()


def test_a_long_manager_cycle_is_named_once_and_briefly() -> None:
    """The review's 2,000-person cycle made 82 MB of messages (every row spelt out the whole
    chain); the cycle is now named once, by its first people and its size."""
    problems = problems_of(cycle_csv(2000))
    assert len(problems) == 2000  # every row of the cycle is still named by its line
    assert problems[0].startswith("line 2: manager cycle of 2,000 people: p0@example.test → ")
    assert problems[0].endswith("→ … → p1999@example.test → p0@example.test")
    assert problems[1] == "line 3: part of the manager cycle named on line 2"
    assert sum(len(problem) for problem in problems) < 200_000


def test_a_20000_person_cycle_through_the_hr_page_lists_a_few_hundred_rows(
    app: Flask, client: FlaskClient
) -> None:
    """The review's 1.2 MB file (a 20,000-person cycle) made the worker time out with a 500."""
    with app.app_context():
        make_hr_user("hr@example.test", PASSWORD)
        db.session.commit()
    auth = AuthActions(client)
    auth.sign_in()
    page = client.get("/admin/people")
    upload = FileStorage(io.BytesIO(cycle_csv(20_000)), "org.csv")
    fields = {"csrf_token": csrf_token(page), "file": upload}
    # encoded here: the test client spools a body this large to a file it never closes
    boundary, body = encode_multipart(fields)
    response = client.post(
        "/admin/people", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Rows to fix (20,000)" in text
    assert "manager cycle of 20,000 people" in text
    assert text.count("part of the manager cycle named on line 2") == MAX_LISTED_PROBLEMS - 1
    assert "and 19,800 more not listed here" in text
    assert len(text) < 100_000


def test_cycle_through_someone_already_imported() -> None:
    existing = {"old@example.test": "new@example.test"}
    text = HEADER + "new@example.test,Ned,team_leader,old@example.test,T\n"
    assert problems_of(text, existing) == [
        "line 2: manager cycle: new@example.test → old@example.test → new@example.test"
    ]


def test_every_bad_row_is_listed_and_blank_lines_keep_numbering() -> None:
    text = HEADER + BOSS + "\n" + "a@example.test,Al,boss,,T\n" + ",,team_leader,,\n"
    assert problems_of(text) == [
        "line 4: unknown level 'boss' (use one of individual_contributor, team_leader, "
        "business_leader)",
        "line 5: empty e-mail",
        "line 5: missing name",
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b"email,name,level\nx@example.test,X,team_leader\n",
            "line 1: missing column header manager_email "
            "(expected email,name,level,manager_email,team,language)",
        ),
        (b"", "line 1: the file is empty; expected a header line"),
        (
            HEADER.encode()
            + BOSS.encode()
            + "a@example.test,Zo\u00eb,team_leader,,\n".encode("latin-1"),
            "line 3: the file is not UTF-8 text; save it as 'CSV UTF-8' and retry",
        ),
    ],
)
def test_file_level_problems(data: bytes, expected: str) -> None:
    assert problems_of(data) == [expected]


def test_excel_file_imports_exactly(app: Flask) -> None:
    with app.app_context():
        summary = import_people(EXCEL_CSV.read_bytes())
        db.session.commit()
        assert str(summary) == "10 created, 0 updated, 0 unchanged"
        jose = db.session.scalar(select(Person).filter_by(email="jose.muller@example.test"))
        assert jose is not None
        assert (jose.name, jose.level, jose.team) == ("José Müller", "team_leader", "Opérations")
        assert jose.manager is not None and jose.manager.name == "Zoë Ångström"
        assert sorted(p.name for p in jose.reports) == [
            "Björn Åberg",
            "Chloé Dubois",
            "Lukáš Dvořák",
        ]


def test_bad_file_imports_nothing(app: Flask) -> None:
    with app.app_context():
        bad = (HEADER + BOSS + "a@example.test,Al,team_leader,ghost@example.test,T\n").encode()
        with pytest.raises(OrgChartError):
            import_people(bad)
        db.session.rollback()
        assert db.session.scalar(select(func.count(Person.id))) == 0


def test_reimport_updates_people_by_email(app: Flask) -> None:
    with app.app_context():
        import_people((HEADER + BOSS + "a@example.test,Al,individual_contributor,,T\n").encode())
        db.session.commit()
        again = HEADER + BOSS + "A@EXAMPLE.TEST,Al Smith,team_leader,boss@example.test,T\n"
        summary = import_people(again.encode())
        db.session.commit()
        assert str(summary) == "0 created, 1 updated, 1 unchanged"
        al = db.session.scalar(select(Person).filter_by(email="a@example.test"))
        assert al is not None and (al.name, al.level) == ("Al Smith", "team_leader")
        assert al.manager is not None and al.manager.email == "boss@example.test"
        assert db.session.scalar(select(func.count(Person.id))) == 2
