"""Progress pulses (SPEC §12): the raters' pages behind `/p/<token>` (`links`) and HR's pulse
pages under /admin (`hr`). Rater links share the campaign links' bad-link limit."""

from __future__ import annotations

from flask import Blueprint

from survey.views.pulse import hr, links

bp = Blueprint("pulse", __name__)
bp.register_blueprint(links.bp)
bp.register_blueprint(hr.bp)
