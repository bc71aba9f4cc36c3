"""The application factory, configuration and the pages every visitor can reach."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey import create_app
from survey.config import ConfigError, normalise_database_url


def test_test_config_is_used(app) -> None:  # type: ignore[no-untyped-def]
    assert app.testing
    assert app.config["SECRET_KEY"] == "test-secret"


def test_home_page_explains_the_product(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/")
    assert response.status_code == 200
    assert "360° feedback for managers" in response.get_data(as_text=True)


def test_unknown_page_is_a_readable_404(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/no-such-page")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "Page not found" in body and "Traceback" not in body


def test_pages_send_a_content_security_policy_allowing_only_own_scripts(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "http" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_development_secret_is_generated_once_into_the_instance_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SURVEY_ENV", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite'}")
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path / "inst"))
    first = create_app()
    second = create_app()
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32
    assert (tmp_path / "inst" / "secret_key").read_text().strip() == first.config["SECRET_KEY"]


def test_production_refuses_to_start_without_a_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SURVEY_ENV", "production")
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path / "inst"))
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_environment_overrides_instance_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance = tmp_path / "inst"
    instance.mkdir()
    (instance / "config.py").write_text("SECRET_KEY = 'from-instance'\nMAIL_SENDER = 'x@y.test'\n")
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(instance))
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["MAIL_SENDER"] == "x@y.test"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.sqlite", "sqlite:////tmp/x.sqlite"),
    ],
)
def test_database_urls_are_normalised_to_psycopg(given: str, expected: str) -> None:
    assert normalise_database_url(given) == expected


def test_survey_script_reports_a_missing_production_secret_in_one_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["SURVEY_ENV"] = "production"
    script = Path(sys.executable).with_name("survey")
    done = subprocess.run(
        [str(script), "questionnaire", "check"], env=env, capture_output=True, text=True,
        cwd=tmp_path, timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "Error: SECRET_KEY must be set in production (environment or instance config)"
    ]


def test_static_files_are_versioned_and_cached(client) -> None:  # type: ignore[no-untyped-def]
    import re

    page = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', page)
    assert css is not None
    response = client.get(css.group(1))
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
    response.close()


def test_a_malformed_bad_link_limit_stops_the_app_at_start(
    app_config: dict[str, object],
) -> None:
    with pytest.raises(ConfigError, match="RATE_BAD_LINK_LIMIT 'twenty per fortnight'"):
        create_app({**app_config, "RATE_BAD_LINK_LIMIT": "twenty per fortnight"})


def test_the_session_and_sign_in_settings_the_operations_guide_names_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/operations.md tells operators to set these; they were read from instance/config.py
    only, so an exported value was silently ignored."""
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("HR_SESSION_IDLE_MINUTES", "30")
    monkeypatch.setenv("HR_SESSION_MAX_HOURS", "12")
    monkeypatch.setenv("SIGN_IN_LIMIT", "5/minute")
    monkeypatch.setenv("SIGN_IN_CLIENT_LIMIT", "20/minute")
    config = create_app().config
    assert (config["HR_SESSION_IDLE_MINUTES"], config["HR_SESSION_MAX_HOURS"]) == (30, 12)
    assert (config["SIGN_IN_LIMIT"], config["SIGN_IN_CLIENT_LIMIT"]) == ("5/minute", "20/minute")
