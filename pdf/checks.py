"""System checks of the pdf app: a render inside a web request must end before the web worker
is killed (see gunicorn.conf.py and ``pdf.cache.rendering_render``)."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error

from .render import setting

#: The web worker's timeout leaves as much again as the in-request render's limit for building
#: the document and sending the answer.
WEB_TIMEOUT_FACTOR = 2


def gunicorn_config_path() -> Path:
    return Path(settings.BASE_DIR) / "gunicorn.conf.py"


def request_render_fits_web_timeout(web_timeout: float) -> list[CheckMessage]:
    """pdf.E001 unless ``web_timeout >= WEB_TIMEOUT_FACTOR * PDF_REQUEST_SECONDS``."""
    limit = float(setting("PDF_REQUEST_SECONDS"))
    if web_timeout >= WEB_TIMEOUT_FACTOR * limit:
        return []
    return [
        Error(
            f"gunicorn's timeout ({web_timeout:g} s) is under {WEB_TIMEOUT_FACTOR} × "
            f"PDF_REQUEST_SECONDS ({limit:g} s): a PDF rendered inside a request could outlive "
            "the web worker, whose reader would get an error.",
            hint="Raise timeout in gunicorn.conf.py or lower PDF_REQUEST_SECONDS.",
            id="pdf.E001",
        )
    ]


def check_web_timeout(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The shipped gunicorn configuration against PDF_REQUEST_SECONDS (registered in apps.py)."""
    path = gunicorn_config_path()
    if not path.is_file():
        return []
    return request_render_fits_web_timeout(float(runpy.run_path(str(path)).get("timeout", 30)))
