"""gunicorn settings for the survey app: `gunicorn -c gunicorn.conf.py "survey:create_app()"`.

Rater links carry their token in the path (`/r/<token>`) and sign-in links too (`/link/<token>`),
so the access log never records the request line, the query string or the referrer; nor the
client address, which beside a time could single out a rater. What remains (time, method,
status, size, duration) is enough to watch load and errors. Override with the usual gunicorn
flags or environment (`GUNICORN_CMD_ARGS`), e.g. `--bind 0.0.0.0:8000 --workers 8`.
"""

import multiprocessing
import os

bind = os.environ.get("SURVEY_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SURVEY_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
worker_class = "sync"
timeout = 60
graceful_timeout = 30
# gunicorn 27's control socket lives at one path per user ($HOME/.gunicorn/gunicorn.ctl), so two
# instances on one machine fight over it; nothing here uses `gunicornc`.
control_socket_disable = True
# Behind a reverse proxy terminating TLS, the proxy sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("SURVEY_ACCESS_LOG", "-")
access_log_format = '%(t)s "%(m)s" %(s)s %(B)s %(M)sms'
errorlog = os.environ.get("SURVEY_ERROR_LOG", "-")
loglevel = os.environ.get("SURVEY_LOG_LEVEL", "info")


def post_fork(server, worker):  # noqa: ARG001 - gunicorn's hook signature
    """Redact link tokens from gunicorn's error log too ("Error handling request /r/…")."""
    import logging

    from survey.logs import RedactTokens

    logging.getLogger("gunicorn.error").addFilter(RedactTokens())
