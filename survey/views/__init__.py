"""Blueprints: thin views over services; each package or module owns one blueprint."""

from __future__ import annotations

from flask import Flask

from survey.views import (
    admin,
    api,
    auth,
    main,
    nominate,
    plans,
    privacy,
    pulse,
    questionnaires,
    rate,
    reports,
)


def register_blueprints(app: Flask) -> None:
    """Register every blueprint of the app."""
    for module in (
        main, auth, admin, privacy, rate, reports, api, questionnaires, nominate, plans, pulse
    ):
        app.register_blueprint(module.bp)
