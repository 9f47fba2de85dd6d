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
