"""Settings for the test suite: the real settings, with what makes tests fast and isolated."""

import os

from .settings import *  # noqa: F403
from .settings import DATABASES, STORAGES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A PDF that took longer than this last time is rendered in a Celery task, not in the request.
# Tests run beside a browser and a second pytest worker: a render slowed by a busy machine
# must not turn "quick last time" into "slow". Slow renders are tested with render_seconds=10.
PDF_SYNC_SECONDS = 5.0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# live_server serves static files itself; manifest storage would 404 on hashed names.
# The default storage stays the environment's (a bucket for the multi-node tests).
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a Celery worker process started by a test sees the same data.
    # One file per pytest process, so that two runs on one machine never share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

# WhiteNoise warns when STATIC_ROOT is missing; tests serve static files from the finders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)
