"""The shipped gunicorn configuration gives a PDF rendered inside a request time to end: the web
worker's timeout is above the in-request render's limit, by the documented margin."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest
from gunicorn.config import Config

from pdf import checks as pdf_checks
from pdf import render as pdf_render


def gunicorn_conf() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gunicorn_conf", pdf_checks.gunicorn_config_path()
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gunicorns_timeout_is_above_the_in_request_render_limit() -> None:
    conf = gunicorn_conf()
    limit = pdf_render.setting("PDF_REQUEST_SECONDS")
    assert conf.timeout > limit
    assert conf.timeout >= pdf_checks.WEB_TIMEOUT_FACTOR * limit  # the relation in its comment
    assert pdf_checks.check_web_timeout() == []


def test_gunicorn_accepts_every_setting_of_the_file() -> None:
    config = Config()
    conf = gunicorn_conf()
    for name, value in vars(conf).items():
        if name in config.settings:
            config.set(name, value)  # validates the value as gunicorn does
    assert config.timeout == conf.timeout
    assert config.wsgi_app == "krakow_ngo.wsgi:application"


def test_a_request_limit_the_web_timeout_does_not_cover_fails_the_system_check(
    settings: pytest.FixtureRequest,
) -> None:
    settings.PDF_REQUEST_SECONDS = gunicorn_conf().timeout
    errors = pdf_checks.check_web_timeout()
    assert [error.id for error in errors] == ["pdf.E001"]


def test_the_image_and_the_stack_run_gunicorn_with_the_file() -> None:
    root = pdf_checks.gunicorn_config_path().parent
    dockerfile = (root / "Dockerfile").read_text()
    command = dockerfile[dockerfile.index("\nCMD ") :]
    assert '"gunicorn", "--config", "gunicorn.conf.py"' in command
    compose = (root / "docker-compose.yml").read_text()
    web = compose[compose.index("\n  web:") : compose.index("\n  worker:")]
    assert 'command: ["gunicorn", "--config", "gunicorn.conf.py"' in web
    for text in (command, web):
        assert "--timeout" not in text  # the file's timeout, not another
