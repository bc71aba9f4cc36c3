"""Review of issue 17 (progress pulse anonymity, plan privacy): attacks the first tests missed."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import text

from survey.extensions import db
from tests.helpers_plans import answer_pulse
from tests.test_pulse import EXPERTISE, RESULTS, close, launched, report  # noqa: F401

RATERS = ("peer1@example.test", "peer2@example.test", "peer3@example.test", "bob@example.test")


def physical_order(table: str) -> list[str]:
    """The response ids of `table` in the order its rows lie on disk (PostgreSQL's ctid;
    SQLite's WITHOUT ROWID tables lie in key order)."""
    if db.session.get_bind().dialect.name == "postgresql":
        query = f"SELECT response_id FROM {table} ORDER BY ctid"
    else:
        query = f"SELECT response_id FROM {table}"
    return list(db.session.scalars(text(query)))


def test_sealed_pulse_rows_lie_in_random_id_order_not_submission_order(
    app: Flask,
    runner: FlaskCliRunner,
    launched,  # noqa: F811
) -> None:
    """Pulse receipts keep the order raters submitted in; if the sealed answers and comments
    kept it too (PostgreSQL re-inserts rows in the order a plain SELECT returns them: heap
    order, i.e. submission order), the n-th receipt would name the n-th answer's rater. Eight
    responses: a submission order that happens to be sorted has odds 1 in 40,320."""
    _, pulse_id, links = launched
    for name in ("Alice Example", "Carl Coder"):
        for number, email in enumerate(RATERS):
            answers = {RESULTS: str(number - 2), EXPERTISE: "1"}
            if name == "Carl Coder":
                answers = {"area:culture": str(number - 1)}
            assert (
                answer_pulse(
                    app.test_client(), links[email], name, answers, f"{name} note {number}"
                ).status_code
                == 303
            )
    close(runner, pulse_id)
    with app.app_context():
        answers = physical_order("pulse_answer")
        comments = physical_order("pulse_comment")
    assert len(answers) == 12 and len(comments) == 8
    assert answers == sorted(answers)
    assert comments == sorted(comments)
    # and the results are still whole
    assert report(runner, pulse_id)["focus"][0]["n"] == 4
