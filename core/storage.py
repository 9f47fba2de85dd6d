"""Where the portal stores files: an S3-compatible bucket when the environment names one
(``DJANGO_S3_BUCKET``), else the local ``MEDIA_ROOT`` (docs/operations.md "Object storage").

Everything stored (PDF renderings, publications, the originals of registered comments) goes
through Django's storage API (``FieldFile.save/open/delete``, ``storage.exists``), never a
path on the disk, so web processes and workers on different machines share one store.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.http import content_disposition_header

if TYPE_CHECKING:  # settings.py imports this module: no models at import time
    from django.core.files.storage import Storage
    from django.db.models.fields.files import FieldFile

S3_BACKEND = "storages.backends.s3.S3Storage"
#: How long a presigned URL (a redirect to the bucket) is valid, in seconds.
PRESIGNED_SECONDS = 3600
#: How long a browser or proxy may keep the redirect itself: well within the URL's life.
REDIRECT_SECONDS = 600


def _environ(name: str) -> str:
    return os.environ.get(name, "").strip()


S3_CONNECT_SECONDS = 2
S3_READ_SECONDS = 6


def s3_storage_settings() -> dict[str, Any] | None:
    """The ``STORAGES["default"]`` entry for the bucket the environment names, or None.

    The keys come from boto3's own chain (``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY``,
    or an instance role). Files are private (no ACL): a reader gets one only through a view
    that checks access, which streams it or redirects to a presigned URL."""
    bucket = _environ("DJANGO_S3_BUCKET")
    if not bucket:
        return None
    from botocore.config import Config  # type: ignore[import-untyped]  # only with a bucket

    endpoint = _environ("DJANGO_S3_ENDPOINT_URL") or None
    # A self-hosted store (SeaweedFS, MinIO) addresses buckets by path.
    addressing = _environ("DJANGO_S3_ADDRESSING_STYLE") or ("path" if endpoint else None)
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": _environ("DJANGO_S3_REGION") or None,
            # The client's whole configuration (django-storages then ignores its own
            # addressing_style and signature_version options). botocore's "standard"
            # retries: a 500 InternalError or a throttling answer is tried again up to five
            # times with backoff, as S3 asks clients to. Timeouts well below gunicorn's 60 s
            # (botocore's are 60 s each): a store that hangs, not refuses, fails a request in
            # at most six tries of 2 + 6 s, with the portal's 503, before gunicorn kills the
            # worker; 6 s is between two reads of a file, not for the whole file.
            "client_config": Config(
                s3={"addressing_style": addressing},
                signature_version="s3v4",
                retries={"max_attempts": 5, "mode": "standard"},
                connect_timeout=S3_CONNECT_SECONDS,
                read_timeout=S3_READ_SECONDS,
            ),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": PRESIGNED_SECONDS,
        },
    }


def redirects_to_store(storage: Storage) -> bool:
    """Whether public files are served by a redirect to a presigned URL of the bucket
    (``S3_REDIRECT``, on by default) rather than streamed by the web process: only from
    S3, and not when readers cannot reach the store's endpoint."""
    from storages.backends.s3 import S3Storage  # not at import: settings.py imports this

    return isinstance(storage, S3Storage) and settings.S3_REDIRECT


def presigned_url(file: FieldFile, *, filename: str, content_type: str) -> str:
    """A URL of the bucket that serves this stored file for a while, inline under
    ``filename``, and may be cached by the browser until it expires."""
    disposition = content_disposition_header(as_attachment=False, filename=filename)
    url: str = file.storage.url(  # type: ignore[call-arg]
        file.name,
        parameters={
            "ResponseContentDisposition": disposition,
            "ResponseContentType": content_type,
            "ResponseCacheControl": f"public, max-age={PRESIGNED_SECONDS}, immutable",
        },
    )
    return url
