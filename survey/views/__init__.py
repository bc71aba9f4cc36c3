"""Blueprints: thin views over services; each module owns one blueprint."""

from __future__ import annotations

import importlib

from flask import Flask

# module name → attribute holding the blueprint; modules appear as their issues land.
BLUEPRINT_MODULES = ("main", "auth", "admin", "privacy", "rate", "reports", "api")


def register_blueprints(app: Flask) -> None:
    """Register every blueprint module that exists in this package."""
    for name in BLUEPRINT_MODULES:
        try:
            module = importlib.import_module(f"survey.views.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"survey.views.{name}":
                raise
            continue
        app.register_blueprint(module.bp)
