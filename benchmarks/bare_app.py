"""The ceilings the product is measured against: bare Flask routes on the same database.

- `GET /bare/form/<invitation>` then `POST /bare/submit/<invitation>`: the same pair of requests
  a rater's submission is. The GET reads the invitation (one SELECT) and renders a form page
  with a radio group per item of that rater's questionnaire and a CSRF token (Flask-WTF's
  `generate_csrf`, in a signed session cookie); the POST checks the token (`validate_csrf`),
  parses the same url-encoded submission the product receives and writes the same rows in one
  transaction: receipt, invitation status, response, answers, comments. No form class, no
  access rules, no drafts, no ORM.
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
from flask_wtf.csrf import generate_csrf, validate_csrf
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from wtforms.validators import ValidationError

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Report</title><link rel="stylesheet" href="/static/app.css"></head>
<body><main><h1>{{ title }}</h1><div class="chart" data-figure="radar"></div>
<script type="application/json" id="report-figures">{{ figures|tojson }}</script>
<script src="/static/plotly.min.js" defer></script></main></body></html>"""


FORM = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Feedback</title><link rel="stylesheet" href="/static/app.css"></head>
<body><main><h1>Feedback</h1><form method="post" action="/bare/submit/{{ invitation }}">
<input type="hidden" name="csrf_token" value="{{ csrf }}">
{% for item in items %}<fieldset><legend>{{ item.text }}</legend>
{% for value, label in scale %}<label><input type="radio" name="{{ item.key }}"
 value="{{ value }}"> {{ label }}</label>{% endfor %}</fieldset>{% endfor %}
{% for question in questions %}<label>{{ question.text }}
<textarea name="comment-{{ question.key }}"></textarea></label>{% endfor %}
<button>Submit</button></form></main></body></html>"""


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


def _questionnaires() -> Any:
    """(level, rater group) → the questionnaire that group answers, with a placeholder name."""
    from survey.domain.questionnaire import LEVELS, RATER_GROUPS, build_questionnaire

    return {
        (level, group): build_questionnaire(level, group, include_next_level=True)
        for level in LEVELS
        for group in RATER_GROUPS
    }


def create_bare_app() -> Flask:
    """The bare app on `BENCH_DATABASE_URL`."""
    app = Flask(__name__)
    app.secret_key = secrets.token_hex(32)
    engine = _engine(os.environ["BENCH_DATABASE_URL"])
    area_of = _areas()
    questionnaires = _questionnaires()
    figures = _figures()

    @app.get("/bare/form/<int:invitation_id>")
    def form_page(invitation_id: int) -> str:
        with engine.connect() as connection:
            row = connection.execute(
                text("SELECT i.rater_group, s.level FROM invitation i "
                     "JOIN subject s ON s.id = i.subject_id WHERE i.id = :id"),
                {"id": invitation_id},
            ).first()
        if row is None:
            abort(404)
        questionnaire = questionnaires[row.level, row.rater_group]
        scale = [(str(v), questionnaire.scale.label(v)) for v in questionnaire.scale.values()]
        return render_template_string(
            FORM, invitation=invitation_id, csrf=generate_csrf(),
            items=list(questionnaire.items()), scale=scale + [("na", "Don't know")],
            questions=questionnaire.open_questions,
        )

    @app.post("/bare/submit/<int:invitation_id>")
    def submit(invitation_id: int) -> Any:
        form = request.form
        try:
            validate_csrf(form.get("csrf_token"))
        except ValidationError:
            abort(400)
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
