"""A private RQ queue on the machine's Redis for one test, removed afterwards."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask

REDIS_URL = "redis://127.0.0.1:6379/0"


@contextmanager
def private_queue(app: Flask, prefix: str) -> Iterator[str]:
    """Point the app's RQ queue (`MAIL_QUEUE`) at a fresh name; fail if Redis is down."""
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis on 127.0.0.1:6379 is not running")
    name = f"{prefix}-{secrets.token_hex(4)}"
    app.config.update(REDIS_URL=REDIS_URL, MAIL_QUEUE=name)
    try:
        yield name
    finally:
        for key in connection.scan_iter(f"*{name}*"):
            connection.delete(key)
        connection.srem("rq:queues", f"rq:queue:{name}")
        connection.close()
