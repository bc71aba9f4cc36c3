"""Keep link tokens out of logs: rater links `/r/<token>` and one-time links `/link/<token>`."""

from __future__ import annotations

import logging
import re

from flask import Flask

_LINK = re.compile(r"/(r|link)/[^/\s?#\"']+")


def redact(text: str) -> str:
    """`/r/<token>/12` → `/r/[link]/12`, `/link/<token>` → `/link/[link]`."""
    return _LINK.sub(lambda match: f"/{match.group(1)}/[link]", text)


class RedactTokens(logging.Filter):
    """A logging filter that rewrites a record's message with `redact` (always lets it through)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/r/" in message or "/link/" in message:
            record.msg, record.args = redact(message), ()
        return True


def init_app(app: Flask) -> None:
    """Redact link tokens in werkzeug's request log and the app's own logger (once each)."""
    for logger in (logging.getLogger("werkzeug"), app.logger):
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
