"""360° feedback for managers: the application factory (SPEC §9)."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: config → extensions → blueprints → error pages → CLI.

    `test_config` replaces the instance config and environment (tests pass
    `SQLALCHEMY_DATABASE_URI`, `MAIL_OUTBOX`, ...). Raises `ConfigError` when production
    has no `SECRET_KEY`.
    """
    from survey import (
        config,
        database,
        errorpages,
        extensions,
        i18n,
        logs,
        security,
        static_files,
        templating,
    )
    from survey.packaged import MIGRATIONS, packaged_folder

    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    config.load_config(app, test_config)
    _trust_proxies(app)
    database.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(packaged_folder(MIGRATIONS)))
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    static_files.init_app(app)
    logs.init_app(app)
    _register_blueprints(app)
    errorpages.init_app(app)
    _register_cli(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind `TRUSTED_PROXIES` proxies, read the client's address and scheme from the
    X-Forwarded-For/-Proto headers they set (Werkzeug's ProxyFix), so rate limits count each
    client and not the proxy. With 0 (the default) those headers are ignored: anyone can
    send them."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def _register_blueprints(app: Flask) -> None:
    from survey.views import register_blueprints

    register_blueprints(app)


def _register_cli(app: Flask) -> None:
    from survey.cli import register_commands

    register_commands(app)
