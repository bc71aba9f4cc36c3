"""`survey serve --database FILE [--port N]`: the development server on one SQLite file.

Made for the demo's database (`survey demo --no-serve` prints this command), but any survey
SQLite file works: e-mails go to the outbox folder beside it (`<name>-outbox/`), links in them
point at http://HOST:PORT. For production, run gunicorn (README, docs/operations.md).
"""

from __future__ import annotations

import socket
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from werkzeug.serving import BaseWSGIServer, make_server, select_address_family

from survey.cli import SurveyCommand
from survey.commands.backup import check_survey_database
from survey.demo.files import outbox_of
from survey.demo.scenario import build_demo_app
from survey.errors import SurveyError


@click.command("serve", cls=SurveyCommand)
@click.option("--database", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The SQLite database file to serve (e.g. the demo's).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve_command(database: Path, host: str, port: int) -> None:
    """Serve a SQLite database with the development server until Ctrl+C."""
    check_survey_database(database)
    database = database.absolute()
    app = build_demo_app(database, current_app.config["SECRET_KEY"], f"http://{host}:{port}")
    server = bind_server(app, host, port)
    click.echo(f"Serving {database} on http://{host}:{port} (e-mails go to "
               f"{outbox_of(database)}); press Ctrl+C to stop.", err=True)
    serve_until_interrupted(server)


def bind_server(app: Flask, host: str, port: int) -> BaseWSGIServer:
    """A threaded development server listening on host:port; SurveyError when it cannot.

    The socket is opened here and handed to Werkzeug: on a busy port Werkzeug itself would
    print two lines and exit, where every survey command ends with one line.
    """
    with socket.socket(select_address_family(host, port), socket.SOCK_STREAM) as listener:
        # as Werkzeug does: connections of a previous run in TIME_WAIT must not block the port
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind((host, port))
            listener.listen()
        except OSError as error:
            reason = f"cannot listen on {host}:{port} ({error.strerror}); try --port"
            raise SurveyError(reason) from None
        # Werkzeug works on a duplicate of the descriptor; this one closes on leaving
        return make_server(host, port, app, threaded=True, fd=listener.fileno())


def serve_until_interrupted(server: BaseWSGIServer) -> None:
    """Answer requests until Ctrl+C, then close the listening socket."""
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
