"""Mail: text + HTML parts, file outbox, SMTP, and the RQ queue (SPEC §5)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from survey.mail import MailError, OutgoingMail, compose, deliver, send_mails
from tests.helpers_campaigns import html_of, read_outbox, text_of
from tests.helpers_queue import REDIS_URL, private_queue


def invitation(app: Flask, to: str = "zoe@example.test") -> OutgoingMail:
    with app.test_request_context():
        return compose(
            "invitation",
            to=to,
            subject="Your feedback is requested: Spring 360",
            rater_name="Zoë Ångström",
            campaign_name="Spring <360>",
            subjects=[{"name": "José Müller", "relationship": "as a peer"}],
            link="http://localhost/r/abc",
            deadline="Monday 31 March 2025, 23:59 (Europe/Paris)",
        )


def test_file_backend_writes_one_eml_per_message_with_both_parts(app: Flask, outbox: Path) -> None:
    mails = [invitation(app, f"r{i}@example.test") for i in range(3)]
    with app.app_context():
        assert send_mails(mails) == 3
    messages = read_outbox(outbox)
    assert sorted(m["To"] for m in messages) == [
        "r0@example.test",
        "r1@example.test",
        "r2@example.test",
    ]
    text, html = text_of(messages[0]), html_of(messages[0])
    assert "Hello Zoë Ångström," in text and "José Müller (as a peer)" in text
    assert "Monday 31 March 2025, 23:59 (Europe/Paris)" in text
    assert 'href="http://localhost/r/abc"' in html
    assert "Spring &lt;360&gt;" in html  # escaped in HTML
    assert messages[0]["From"] == "360 feedback <no-reply@example.test>"


def test_file_names_never_collide(app: Flask, outbox: Path) -> None:
    mail = invitation(app)
    with app.app_context():
        for _ in range(3):
            send_mails([mail] * 50)
    assert len(list(outbox.glob("*.eml"))) == 150


def test_unknown_backend_is_a_clear_error(app: Flask) -> None:
    with pytest.raises(MailError, match="unknown MAIL_BACKEND 'pigeon'"):
        deliver([invitation(app)], {**app.config, "MAIL_BACKEND": "pigeon"})


class Sink:
    """Collects what the aiosmtpd server receives."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.envelopes.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Sink]]:
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, sink
    controller.stop()


def test_smtp_backend_sends_every_message(app: Flask, smtp_server: tuple[int, Sink]) -> None:
    port, sink = smtp_server
    app.config.update(MAIL_BACKEND="smtp", MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=port)
    mails = [invitation(app, "a@example.test"), invitation(app, "b@example.test")]
    with app.app_context():
        send_mails(mails)
    assert [e.rcpt_tos for e in sink.envelopes] == [["a@example.test"], ["b@example.test"]]
    body = sink.envelopes[0].content.decode()
    assert "multipart/alternative" in body and "text/html" in body


def test_smtp_server_down_is_a_clear_error(app: Flask) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app.config.update(MAIL_BACKEND="smtp", MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=port)
    with app.app_context(), pytest.raises(MailError, match=f"mail server 127.0.0.1:{port}"):
        send_mails([invitation(app)])


@pytest.fixture
def redis_queue(app: Flask) -> Iterator[str]:
    with private_queue(app, "test-mail") as name:
        yield name


def test_with_redis_sending_goes_on_the_queue(app: Flask, outbox: Path, redis_queue: str) -> None:
    from redis import Redis
    from rq import Queue, SimpleWorker

    mails = [invitation(app, f"r{i}@example.test") for i in range(3)]
    with app.app_context():
        send_mails(mails)
        connection = Redis.from_url(REDIS_URL)
        queue = Queue(redis_queue, connection=connection)
        assert queue.count == 1 and not list(outbox.glob("*.eml"))  # queued, not yet sent
        job_ids = queue.job_ids
        worker = SimpleWorker([queue], connection=connection)
        worker.work(burst=True)
        connection.delete(worker.key)
        for job_id in job_ids:
            connection.delete(f"rq:job:{job_id}", f"rq:results:{job_id}")
        connection.close()
    assert sorted(m["To"] for m in read_outbox(outbox)) == [
        "r0@example.test",
        "r1@example.test",
        "r2@example.test",
    ]


def test_outbox_file_keeps_accents_links_and_one_line_headers(app: Flask, outbox: Path) -> None:
    long_line = "x" * 2000
    mail = OutgoingMail(
        to="zoe@example.test",
        subject="Évaluation 360°\nBcc: intruder@example.test",
        text=f"Bonjour Zoë\nhttp://localhost/r/abc_DEF-123\n{long_line}\n",
        html="<p>Bonjour Zoë</p>",
    )
    app.config["MAIL_SENDER"] = "Équipe RH <rh@example.test>"
    with app.app_context():
        send_mails([mail])
    (path,) = outbox.glob("*.eml")
    assert b"Bcc:" not in path.read_bytes().split(b"\n\n")[0]
    (message,) = read_outbox(outbox)
    assert message["Subject"] == "Évaluation 360° Bcc: intruder@example.test"
    assert message["From"] == "Équipe RH <rh@example.test>"
    assert text_of(message) == f"Bonjour Zoë\nhttp://localhost/r/abc_DEF-123\n{long_line}\n"
    assert html_of(message) == "<p>Bonjour Zoë</p>\n"
