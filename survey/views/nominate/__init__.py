"""Rater nomination (SPEC §13): the subject's and manager's link pages (`/n/<token>`) and HR's
nomination actions under /admin. One blueprint with two nested ones, `links` and `hr`."""

from __future__ import annotations

from flask import Blueprint

from survey.views.nominate import hr, links

bp = Blueprint("nominate", __name__)
bp.register_blueprint(links.bp)
bp.register_blueprint(hr.bp)
