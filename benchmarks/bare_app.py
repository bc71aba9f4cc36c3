"""The ceilings the product is measured against: bare Flask routes on the same database (issue 8).

- `POST /bare/submit/<invitation>` parses the same url-encoded submission the product receives
  (CSRF field included, not checked) and writes the same rows in one transaction: receipt,
  invitation status, response, answers, comments. No form class, no template, no ORM.
- `GET /bare/figure` renders a page holding precomputed figures of the same size as a subject
  report's (`BENCH_FIGURE_FILE`: the figure JSON taken from a product report page by the
  benchmark; a built-in radar if unset), serialised into the page the way the product does.

Served by gunicorn exactly like the product: `gunicorn -w 2 benchmarks.bare_app:app` with
`BENCH_DATABASE_URL` naming the database.
"""

from __future__ import annotations

import json
import os
import secrets
from typing import Any

from flask import Flask, abort, redirect, render_template_string, request
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Report</title><link rel="stylesheet" href="/static/app.css"></head>
<body><main><h1>{{ title }}</h1><div class="chart" data-figure="radar"></div>
<script type="application/json" id="report-figures">{{ figures|tojson }}</script>
<script src="/static/plotly.min.js" defer></script></main></body></html>"""


def _engine(url: str) -> Engine:
    """Same connection settings as the product (survey.database): WAL, NORMAL sync, busy wait;
    a ping before each checkout on a database server, none on SQLite."""
    from survey.config import normalise_database_url

    url = normalise_database_url(url)
    sqlite = url.startswith("sqlite")
    engine = create_engine(url, pool_pre_ping=not sqlite)
    if sqlite:

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    return engine


def _areas() -> dict[str, str]:
    """Item key → area over every level, as the product derives it from the questionnaire."""
    from survey.domain.questionnaire import default_content

    content = default_content()
    return {item.key: item.area for level in content.levels for item in level.items}


def _figures() -> Any:
    """The precomputed figures: a report page's own figure JSON, or a built-in radar."""
    path = os.environ.get("BENCH_FIGURE_FILE")
    if path:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    import plotly.graph_objects as go

    areas = sorted(set(_areas().values()))
    figure = go.Figure(
        [go.Scatterpolar(r=[3.5] * (len(areas) + 1), theta=areas + areas[:1], name=group)
         for group in ("self", "manager", "peers", "direct_reports", "all_others")]
    )
    return {"radar": json.loads(str(figure.to_json()))}


def create_bare_app() -> Flask:
    """The bare app on `BENCH_DATABASE_URL`."""
    app = Flask(__name__)
    engine = _engine(os.environ["BENCH_DATABASE_URL"])
    area_of = _areas()
    figures = _figures()

    @app.post("/bare/submit/<int:invitation_id>")
    def submit(invitation_id: int) -> Any:
        form = request.form
        answers = [
            {"item": key, "area": area_of[key], "value": None if raw == "na" else int(raw)}
            for key, raw in form.items() if key in area_of
        ]
        comments = [
            {"question": key[8:], "text": value.strip()}
            for key, value in form.items() if key.startswith("comment-") and value.strip()
        ]
        with engine.begin() as connection:
            row = connection.execute(
                text("SELECT i.subject_id, i.rater_group, s.campaign_id FROM invitation i "
                     "JOIN subject s ON s.id = i.subject_id WHERE i.id = :id"),
                {"id": invitation_id},
            ).first()
            if row is None:
                abort(404)
            connection.execute(text("INSERT INTO submission_receipt (invitation_id) VALUES (:i)"),
                               {"i": invitation_id})
            connection.execute(text("UPDATE invitation SET status = 'submitted' WHERE id = :i"),
                               {"i": invitation_id})
            rid = secrets.token_hex(16)
            connection.execute(
                text("INSERT INTO response (id, campaign_id, subject_id, rater_group) "
                     "VALUES (:id, :c, :s, :g)"),
                {"id": rid, "c": row.campaign_id, "s": row.subject_id, "g": row.rater_group},
            )
            if answers:
                connection.execute(
                    text("INSERT INTO answer (response_id, item, area, value) "
                         "VALUES (:r, :item, :area, :value)"),
                    [{"r": rid, **answer} for answer in answers],
                )
            if comments:
                connection.execute(
                    text("INSERT INTO comment (response_id, question, text) "
                         "VALUES (:r, :question, :text)"),
                    [{"r": rid, **comment} for comment in comments],
                )
        return redirect(f"/bare/thanks/{invitation_id}", 303)

    @app.get("/bare/figure")
    def figure_page() -> str:
        return render_template_string(PAGE, title="Report", figures=figures)

    @app.get("/bare/ping")
    def ping() -> str:
        return "ok"

    return app


app = create_bare_app() if os.environ.get("BENCH_DATABASE_URL") else None
