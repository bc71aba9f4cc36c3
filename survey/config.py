"""Configuration: defaults, then the instance folder's config.py, then the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from survey.errors import SurveyError

DEFAULTS: dict[str, Any] = {
    # hide_parameters: a database error never copies a rater's answers or comments into a log
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,  # CSV uploads and forms; SPEC hostile-input limits
    "COMMENT_MAX_LENGTH": 4000,
    "MAIL_BACKEND": "file",  # "file" (outbox/*.eml) or "smtp"
    "MAIL_SENDER": "360 feedback <no-reply@example.test>",
    "MAIL_SMTP_HOST": "localhost",
    "MAIL_SMTP_PORT": 25,
    "MAIL_SMTP_TLS": False,  # STARTTLS
    "MAIL_SMTP_SSL": False,
    "MAIL_SMTP_USERNAME": None,
    "MAIL_SMTP_PASSWORD": None,
    "REDIS_URL": None,
    "BASE_URL": "http://127.0.0.1:5000",
    "REMINDER_INTERVAL_HOURS": 72,
    "SIGN_IN_LINK_MINUTES": 60,
    "HR_SESSION_IDLE_MINUTES": 8 * 60,  # an HR session ends after this long without a request
    "HR_SESSION_MAX_HOURS": 7 * 24,  # and this long after signing in, however busy
    # RATELIMIT_STORAGE_URI: REDIS_URL when set (limits shared by every worker), else memory
    "RATELIMIT_HEADERS_ENABLED": False,
    "RATELIMIT_SWALLOW_ERRORS": True,  # limit storage down: pages still answer, the log says so
    "RATELIMIT_KEY_PREFIX": "survey",
    "SIGN_IN_LIMIT": "10/minute",  # failed HR sign-ins per account from one client
    "SIGN_IN_CLIENT_LIMIT": "30/minute",  # sign-in attempts from one client, any account
    "RETENTION_MONTHS": 0,  # closed campaigns are deleted after this many months; 0: kept
    "RETENTION_WARNING_DAYS": 30,  # HR pages announce a deletion at least this long before
    "TRUSTED_PROXIES": 0,  # proxies in front of the app that set X-Forwarded-For/-Proto
    "WTF_CSRF_SSL_STRICT": False,  # the referrer check cannot pass: pages send no-referrer
    "RATE_BAD_LINK_LIMIT": "20/minute",  # failed rater-link look-ups per client IP
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "SEND_FILE_MAX_AGE_DEFAULT": 7 * 24 * 3600,  # send_file; static files: static_files.py
    "WTF_CSRF_TIME_LIMIT": None,  # a rater may keep a form open for hours
    "DEFAULT_LANGUAGE": "en",  # for people without a language of their own (SPEC §14)
}

# Environment variables read at start-up, by config key.
ENVIRONMENT = {
    "SECRET_KEY": "SECRET_KEY",
    "SQLALCHEMY_DATABASE_URI": "DATABASE_URL",
    "MAIL_BACKEND": "MAIL_BACKEND",
    "MAIL_OUTBOX": "MAIL_OUTBOX",
    "MAIL_SENDER": "MAIL_SENDER",
    "MAIL_SMTP_HOST": "MAIL_SMTP_HOST",
    "MAIL_SMTP_PORT": "MAIL_SMTP_PORT",
    "MAIL_SMTP_TLS": "MAIL_SMTP_TLS",
    "MAIL_SMTP_SSL": "MAIL_SMTP_SSL",
    "MAIL_SMTP_USERNAME": "MAIL_SMTP_USERNAME",
    "MAIL_SMTP_PASSWORD": "MAIL_SMTP_PASSWORD",
    "REDIS_URL": "REDIS_URL",
    "BASE_URL": "BASE_URL",
    "RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "TRUSTED_PROXIES": "TRUSTED_PROXIES",
    "RETENTION_MONTHS": "RETENTION_MONTHS",
    "RETENTION_WARNING_DAYS": "RETENTION_WARNING_DAYS",
    "SIGN_IN_LIMIT": "SIGN_IN_LIMIT",
    "SIGN_IN_CLIENT_LIMIT": "SIGN_IN_CLIENT_LIMIT",
    "HR_SESSION_IDLE_MINUTES": "HR_SESSION_IDLE_MINUTES",
    "HR_SESSION_MAX_HOURS": "HR_SESSION_MAX_HOURS",
    "DEFAULT_LANGUAGE": "DEFAULT_LANGUAGE",
}
_BOOLEAN_KEYS = {"MAIL_SMTP_TLS", "MAIL_SMTP_SSL"}
_INTEGER_KEYS = {
    "MAIL_SMTP_PORT",
    "TRUSTED_PROXIES",
    "RETENTION_MONTHS",
    "RETENTION_WARNING_DAYS",
    "HR_SESSION_IDLE_MINUTES",
    "HR_SESSION_MAX_HOURS",
}


class ConfigError(SurveyError):
    """The configuration cannot run the app safely (e.g. production without SECRET_KEY)."""


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill app.config: defaults → instance/config.py → environment → test_config."""
    app.config.from_mapping(DEFAULTS)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(
        app.instance_path, "survey.sqlite"
    )
    app.config["MAIL_OUTBOX"] = os.path.join(app.instance_path, "outbox")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        _read_environment(app)
    else:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    _ensure_secret_key(app)
    _check_rate_limit(app)
    _check_trusted_proxies(app)
    _check_retention(app)
    _check_default_language(app)
    # one limit store for every worker when Redis is there (SPEC §5: failures are counted
    # per client, not per process); an explicit RATELIMIT_STORAGE_URI wins
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    # Flask's own defaults already hold SESSION_COOKIE_SECURE=False, so no setdefault here:
    # an https site or production always gets Secure cookies; config can only add it.
    secure = bool(app.config.get("SESSION_COOKIE_SECURE")) or _served_over_https(app)
    app.config["SESSION_COOKIE_SECURE"] = secure
    app.config["REMEMBER_COOKIE_SECURE"] = secure or bool(app.config.get("REMEMBER_COOKIE_SECURE"))


def _check_default_language(app: Flask) -> None:
    from survey.domain.languages import LANGUAGES, normalise_language

    value = str(app.config.get("DEFAULT_LANGUAGE") or "")
    language = normalise_language(value)
    if language is None:
        known = ", ".join(LANGUAGES)
        raise ConfigError(f"DEFAULT_LANGUAGE {value!r} is not a language we speak ({known})")
    app.config["DEFAULT_LANGUAGE"] = language


def _check_rate_limit(app: Flask) -> None:
    from limits import parse

    for key in ("RATE_BAD_LINK_LIMIT", "SIGN_IN_LIMIT", "SIGN_IN_CLIENT_LIMIT"):
        value = str(app.config.get(key, ""))
        try:
            parse(value)
        except ValueError:
            raise ConfigError(f"{key} {value!r} is not a limit such as '20/minute'") from None


def _check_trusted_proxies(app: Flask) -> None:
    value = app.config.get("TRUSTED_PROXIES") or 0
    if not isinstance(value, int) or value < 0:
        raise ConfigError(f"TRUSTED_PROXIES {value!r} is not a number of proxies (0, 1, 2, ...)")


def _check_retention(app: Flask) -> None:
    """Months of 0 keep everything; a deletion is always announced at least a day ahead
    (with no warning period the run that announced a deletion would also do it)."""
    for key, least in (("RETENTION_MONTHS", 0), ("RETENTION_WARNING_DAYS", 1)):
        value = app.config.get(key)
        if key == "RETENTION_MONTHS" and value is None:
            continue  # unset: kept for ever
        if not isinstance(value, int) or isinstance(value, bool) or value < least:
            raise ConfigError(f"{key} {value!r} is not a whole number of at least {least}")


def normalise_database_url(url: str) -> str:
    """Map `postgres://` and `postgresql://` URLs to the psycopg 3 driver SQLAlchemy needs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _read_environment(app: Flask) -> None:
    for key, variable in ENVIRONMENT.items():
        value = os.environ.get(variable)
        if value is None or value == "":
            continue
        if key in _BOOLEAN_KEYS:
            app.config[key] = value.lower() in {"1", "true", "yes", "on"}
        elif key in _INTEGER_KEYS:
            app.config[key] = _integer(variable, value)
        else:
            app.config[key] = value


def _integer(variable: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{variable}={value!r} is not a whole number") from None


def is_production(app: Flask) -> bool:
    """PRODUCTION=True in config, or SURVEY_ENV=production in the environment."""
    return bool(app.config.get("PRODUCTION")) or os.environ.get("SURVEY_ENV") == "production"


def _served_over_https(app: Flask) -> bool:
    """Cookies are Secure when the site is https, and always in production (never sent in clear)."""
    return str(app.config["BASE_URL"]).startswith("https") or is_production(app)


def _ensure_secret_key(app: Flask) -> None:
    """Use SECRET_KEY if set; in development generate one once into the instance folder.

    Production (SURVEY_ENV=production, or PRODUCTION=True in config) refuses to start
    without an explicit key, so sessions and sign-in links survive restarts and are not guessable.
    """
    if app.config.get("SECRET_KEY"):
        return
    if is_production(app):
        raise ConfigError("SECRET_KEY must be set in production (environment or instance config)")
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()
