"""gunicorn's configuration for the portal's web process.

gunicorn reads ``gunicorn.conf.py`` from its working directory; the image's CMD (which
docker-compose's web service runs) also names it. Options given on the command line win.
"""

import os

wsgi_app = "krakow_ngo.wsgi:application"
# One sync worker per CPU this process may use (at least two, so that one slow request does
# not stop the others); WEB_CONCURRENCY overrides. On this kind of machine more workers than
# CPUs served no more requests (docs/operations.md, Scaling).
workers = int(os.environ.get("WEB_CONCURRENCY") or max(2, len(os.sched_getaffinity(0))))
accesslog = "-"

# A sync worker that works on one request longer than ``timeout`` seconds is killed, and its
# reader gets an error. The slowest work a request may do is a PDF rendered inside it, which
# is stopped after PDF_REQUEST_SECONDS (default 10 s) and handed to the Celery worker; the
# timeout leaves as much again for building the document and sending it. Relation, checked by
# `manage.py check` (pdf.E001): timeout >= 2 * PDF_REQUEST_SECONDS. Raise both together.
timeout = 60
graceful_timeout = 30

# gunicorn's control socket (gunicorn 25.1+: `gunicornc` changes the workers or stops the
# server through it) is not used by the portal: it is managed by its orchestrator. Its default
# path, $HOME/.gunicorn/gunicorn.ctl, is one per user, shared by every gunicorn that user runs
# (the tests and benchmarks start several at once), and in the image lies under /app, which
# the portal's user may not write. No socket: nothing to collide, fail or guard.
control_socket_disable = True

# DJANGO_LOG_FORMAT=json: gunicorn's own lines (its error log on standard error, the access
# log on standard output) are JSON objects too, with the formatter of the portal's LOGGING
# (krakow_ngo/settings.py; tests/test_operations.py checks they are the same), so a log
# collector reads every line alike. Not propagated: Django's root handler would write each line
# a second time. Levels stay gunicorn's (--log-level). Otherwise gunicorn's plain text.
if os.environ.get("DJANGO_LOG_FORMAT") == "json":

    def _json_to(stream: str) -> dict[str, str]:
        return {"class": "logging.StreamHandler", "formatter": "json", "stream": stream}

    logconfig_dict = {
        "formatters": {"json": {"()": "krakow_ngo.logs.JsonFormatter"}},
        "handlers": {"error": _json_to("ext://sys.stderr"), "access": _json_to("ext://sys.stdout")},
        "root": {"level": "INFO", "handlers": ["error"]},
        "loggers": {
            "gunicorn.error": {"handlers": ["error"], "propagate": False},
            "gunicorn.access": {"handlers": ["access"], "propagate": False},
        },
    }
