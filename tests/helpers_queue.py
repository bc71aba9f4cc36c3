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


def queued(name: str) -> int:
    """How many jobs wait on the queue `name`."""
    from redis import Redis
    from rq import Queue

    with Redis.from_url(REDIS_URL) as connection:
        return Queue(name, connection=connection).count


def work_queue(name: str) -> None:
    """Run every job waiting on the queue `name` here (an RQ burst worker, inside the caller's
    app context), then remove the worker's and the jobs' keys, which do not carry the name."""
    from redis import Redis
    from rq import Queue, SimpleWorker

    with Redis.from_url(REDIS_URL) as connection:
        queue = Queue(name, connection=connection)
        job_ids = queue.job_ids
        worker = SimpleWorker([queue], connection=connection)
        worker.work(burst=True)
        connection.delete(worker.key)
        for job_id in job_ids:
            connection.delete(f"rq:job:{job_id}", f"rq:results:{job_id}")
