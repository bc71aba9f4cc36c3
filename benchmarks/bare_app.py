"""The ceilings the product is measured against: bare Flask routes on the same database.

- `GET /bare/form/<invitation>` then `POST /bare/submit/<invitation>`: the same pair of requests
  a rater's submission is. The GET reads the invitation (one SELECT) and renders a form page
  with a radio group per item of that rater's questionnaire and a CSRF token (Flask-WTF's
  `generate_csrf`, in a signed session cookie); the POST checks the token (`validate_csrf`),
  parses the same url-encoded submission the product receives and writes the same rows in one
  transaction: receipt, invitation status, response, answers, comments. No form class, no
  access rules, no drafts, no ORM.
- `create_report_ceiling()`: the product's own app with one more route,
  `GET /bare/report/<campaign>/<subject>`, which does what the report page does from the stored
  report — the same access check (`find_viewable_subject` for the campaign's HR user), the same
  `report_view` and the same template through `render_report_page` — without signing in: no
  Flask-Login session or user loading, no `login_required`, no blueprint, no rate limit.

Served by gunicorn exactly like the product: `gunicorn -w 2 benchmarks.bare_app:app` with
`BENCH_DATABASE_URL` naming the database.
"""

from __future__ import annotations

import os
import secrets
from typing import Any

from flask import Flask, abort, redirect, render_template_string, request
from flask_wtf.csrf import generate_csrf, validate_csrf
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import Engine
from wtforms.validators import ValidationError

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
    # one key for every worker: the form's CSRF token may come back to another worker
    app.secret_key = os.environ.get("SECRET_KEY", "benchmark")
    engine = _engine(os.environ["BENCH_DATABASE_URL"])
    area_of = _areas()
    questionnaires = _questionnaires()

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

    @app.get("/bare/ping")
    def ping() -> str:
        return "ok"

    return app


def create_report_ceiling() -> Flask:
    """The product's app (configured from the environment, as `survey:create_app()`) plus the
    bare report route; the HR user is the first HR account in the database."""
    from survey import create_app
    from survey.extensions import db, limiter
    from survey.models import User, UserRole
    from survey.services.reports import find_viewable_subject, report_view
    from survey.views.reports.routes import render_report_page

    app = create_app()

    @limiter.exempt
    def report_page(campaign_id: int, subject_id: int) -> str:
        user = db.session.scalars(select(User).where(User.role == UserRole.HR)).first()
        if user is None:
            abort(404)
        subject = find_viewable_subject(user, campaign_id, subject_id)
        return render_report_page(report_view(subject), to_subject=False)

    app.add_url_rule("/bare/report/<int:campaign_id>/<int:subject_id>", view_func=report_page)
    return app


app = create_bare_app() if os.environ.get("BENCH_DATABASE_URL") else None
