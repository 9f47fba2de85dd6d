"""scripts/create_bucket.py (the compose `bucket` service) against a real SeaweedFS whose
portal keys have rights on their own buckets only, as docs/operations.md asks: it asks for
the one bucket (HEAD), never for the list of every bucket (s3:ListAllMyBuckets, which such
keys lack on AWS), creates it when missing, says plainly when the keys may not use it, and
waits for a store that does not answer yet."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from botocore.exceptions import ClientError

from .integration.conftest import free_port
from .integration.s3 import S3Server

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "create_bucket.py"
PORTAL_KEY, PORTAL_SECRET = "portal-key", "portal-secret-key"
#: The buckets the portal's keys may use (SeaweedFS grants rights per bucket name).
OWN = ["krakow-ngo-new", "krakow-ngo-made"]


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("create_bucket", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def store() -> Iterator[S3Server]:
    portal = {
        "name": "portal",
        "credentials": [{"accessKey": PORTAL_KEY, "secretKey": PORTAL_SECRET}],
        "actions": [
            f"{action}:{bucket}" for bucket in OWN for action in ("Admin", "Read", "Write", "List")
        ],
    }
    server = S3Server(identities=[portal])
    yield server
    server.stop()


def refuse_list_buckets(**kwargs: Any) -> None:
    """What AWS answers keys without s3:ListAllMyBuckets (SeaweedFS lists what they may use)."""
    raise ClientError(
        {"Error": {"Code": "AccessDenied", "Message": "Access Denied"}}, "ListBuckets"
    )


@pytest.fixture
def script(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """The script, its pauses counted, not slept; boto3's clients (the test's too) are
    refused ListBuckets, as on AWS."""
    module = load_script()
    make_client = module.boto3.client

    def client(*args: Any, **kwargs: Any) -> Any:
        made = make_client(*args, **kwargs)
        made.meta.events.register("before-call.s3.ListBuckets", refuse_list_buckets)
        return made

    module.pauses = []
    monkeypatch.setattr(module.boto3, "client", client)
    monkeypatch.setattr(module.time, "sleep", module.pauses.append)
    yield module


def portal_environment(monkeypatch: pytest.MonkeyPatch, store: S3Server, bucket: str) -> None:
    environment = {
        **store.environment(bucket),
        "AWS_ACCESS_KEY_ID": PORTAL_KEY,
        "AWS_SECRET_ACCESS_KEY": PORTAL_SECRET,
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)


def test_it_creates_the_missing_bucket_with_keys_limited_to_it(
    store: S3Server, script: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    portal_environment(monkeypatch, store, OWN[0])
    assert script.main() == 0
    store.client().head_bucket(Bucket=OWN[0])  # raises unless it is there
    assert script.main() == 0  # there already: nothing to do
    assert script.pauses == []


def test_it_leaves_a_bucket_that_is_there(
    store: S3Server,
    script: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store.client().create_bucket(Bucket=OWN[1])
    store.client().put_object(Bucket=OWN[1], Key="kept.txt", Body=b"kept")
    portal_environment(monkeypatch, store, OWN[1])
    assert script.main() == 0
    assert store.keys(OWN[1]) == ["kept.txt"]
    assert f"bucket {OWN[1]} is there" in capsys.readouterr().out


def test_it_says_so_at_once_when_the_keys_have_no_rights_on_the_bucket(
    store: S3Server,
    script: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store.client().create_bucket(Bucket="someone-elses")
    portal_environment(monkeypatch, store, "someone-elses")
    assert script.main() != 0
    assert script.pauses == []  # nothing to wait for: waiting would not give the keys rights
    error = capsys.readouterr().err
    assert "someone-elses" in error and "403" in error
    assert PORTAL_KEY in error and "rights" in error


def test_it_waits_for_a_store_that_does_not_answer_yet(
    script: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DJANGO_S3_BUCKET", "krakow-ngo")
    monkeypatch.setenv("DJANGO_S3_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", PORTAL_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", PORTAL_SECRET)
    monkeypatch.setattr(script, "ATTEMPTS", 3, raising=False)
    assert script.main() == 1
    assert len(script.pauses) >= 3
    assert "waiting for the object store" in capsys.readouterr().err
