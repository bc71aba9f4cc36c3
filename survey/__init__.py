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
    from survey import config, database, errorpages, extensions, logs, security, templating
    from survey.packaged import MIGRATIONS, packaged_folder

    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    config.load_config(app, test_config)
    database.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(packaged_folder(MIGRATIONS)))
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    logs.init_app(app)
    _register_blueprints(app)
    errorpages.init_app(app)
    _register_cli(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from survey.views import register_blueprints

    register_blueprints(app)


def _register_cli(app: Flask) -> None:
    from survey.cli import register_commands

    register_commands(app)
