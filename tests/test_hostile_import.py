"""Hostile org-chart files (issue 7 point 3): whatever the bytes, the import either applies the
whole file or refuses it whole, naming each bad line with a reason; the HR upload page never
answers 5xx and never echoes markup."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from survey.domain.orgchart import OrgChartError
from survey.extensions import db
from survey.models import Person
from survey.services.orgchart import import_people
from tests.factories import make_hr_user
from tests.helpers_hostile import HOSTILE, NASTY, SCRIPT, hostile_text, module_app
from tests.helpers_security import HR_EMAIL, HR_PASSWORD, csrf_of, sign_in_hr

HEADERS = ["email,name,level,manager_email,team", "email;name;level;manager_email;team",
           "EMAIL,Name,LEVEL,manager_email", "name,email", ""]  # fmt: skip
LEVELS = ["individual_contributor", "team_leader", "business_leader", "TL", "ceo", ""]


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from module_app(tmp_path_factory.mktemp("hostile_import"))


def cell() -> st.SearchStrategy[str]:
    emails = st.sampled_from(["a@example.test", "b@example.test", "A@EXAMPLE.TEST", "x@", "@y"])
    return st.one_of(emails, hostile_text(120), st.sampled_from(LEVELS))


@st.composite
def org_files(draw: st.DrawFn) -> bytes:
    """Raw bytes, or CSV-shaped text made of hostile cells, in UTF-8 with or without BOM."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=600))
    delimiter = draw(st.sampled_from([",", ";"]))
    rows = draw(st.lists(st.lists(cell(), min_size=0, max_size=6), max_size=6))
    lines = [draw(st.sampled_from(HEADERS))] + [delimiter.join(row) for row in rows]
    text = draw(st.sampled_from(["\n", "\r\n"])).join(lines)
    bom = draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
    return bom + text.encode("utf-8", "surrogatepass")


def people_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Person)) or 0


@HOSTILE
@given(data=org_files())
def test_import_is_all_or_nothing_with_a_reason_per_line(hostile_app: Flask, data: bytes) -> None:
    with hostile_app.app_context():
        before = people_count()
        try:
            summary = import_people(data)
        except OrgChartError as error:
            assert error.problems and str(error).startswith("nothing imported")
            assert all(p.line >= 1 and len(p.reason) > 5 for p in error.problems)
            assert people_count() == before
        else:
            assert min(summary.created, summary.updated, summary.unchanged) >= 0
            db.session.flush()  # every row it accepted fits the columns
        finally:
            db.session.rollback()


@pytest.fixture(scope="module")
def hr_client(hostile_app: Flask) -> FlaskClient:
    with hostile_app.app_context():
        make_hr_user(HR_EMAIL, HR_PASSWORD)
        db.session.commit()
    client = hostile_app.test_client()
    sign_in_hr(client)
    return client


def upload(client: FlaskClient, data: bytes, name: str = "people.csv") -> tuple[int, str]:
    form = {"csrf_token": csrf_of(client, "/admin/people"), "file": (io.BytesIO(data), name)}
    reply = client.post("/admin/people", data=form, content_type="multipart/form-data")
    page = reply.get_data(as_text=True)
    reply.close()
    return reply.status_code, page


@HOSTILE
@given(data=org_files(), name=st.sampled_from(["people.csv", SCRIPT + ".csv", "x.xlsx", ""]))
def test_upload_page_never_fails(
    hostile_app: Flask, hr_client: FlaskClient, data: bytes, name: str
) -> None:
    status, page = upload(hr_client, data, name)
    assert status in (200, 302, 422), status
    assert SCRIPT not in page
    if status == 422:
        assert "nothing imported" in page.lower()
        assert '<th class="num">Line</th>' in page and '<td class="num">' in page


def test_a_file_over_the_size_limit_gets_a_clear_413(hr_client: FlaskClient) -> None:
    csrf = csrf_of(hr_client, "/admin/people").encode()
    big = b"email,name,level,manager_email\n" + b"x" * (2 * 1024 * 1024 + 1)
    body = (
        b'--b\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n' + csrf + b"\r\n"
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="p.csv"\r\n\r\n'
        + big + b"\r\n--b--\r\n"
    )  # fmt: skip
    reply = hr_client.post(
        "/admin/people", data=body, content_type="multipart/form-data; boundary=b"
    )
    status, page = reply.status_code, reply.get_data(as_text=True)
    assert status == 413
    assert "larger than" in page


@pytest.mark.parametrize("nasty", [n for n in NASTY if n.strip()])
def test_formula_and_markup_in_names_are_stored_as_text(hostile_app: Flask, nasty: str) -> None:
    data = f"email,name,level,manager_email,team\nn@example.test,{nasty},team_leader,,T\n"
    with hostile_app.app_context():
        try:
            import_people(data.encode("utf-8"))
        except OrgChartError as error:
            assert error.problems  # e.g. a name too long or with a NUL: refused, with a reason
        else:
            stored = db.session.scalars(select(Person.name).filter_by(email="n@example.test"))
            assert stored.one() == nasty.strip()
        finally:
            db.session.rollback()


def test_a_huge_cell_is_refused_with_its_line(hostile_app: Flask) -> None:
    data = "email,name,level,manager_email\nh@example.test," + "N" * 200_000 + ",team_leader,\n"
    with hostile_app.app_context():
        with pytest.raises(OrgChartError) as refused:
            import_people(data.encode())
        db.session.rollback()
    assert refused.value.problems[0].line == 2
