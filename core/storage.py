"""Where the portal stores files: an S3-compatible bucket when the environment names one
(``DJANGO_S3_BUCKET``), else the local ``MEDIA_ROOT`` (docs/operations.md "Object storage").

Everything stored (PDF renderings, publications, the originals of registered comments) goes
through Django's storage API (``FieldFile.save/open/delete``, ``storage.exists``), never a
path on the disk, so web processes and workers on different machines share one store.
"""

from __future__ import annotations

import os
from typing import Any

S3_BACKEND = "storages.backends.s3.S3Storage"
#: How long a presigned URL (a redirect to the bucket) is valid, in seconds.
PRESIGNED_SECONDS = 3600


def _environ(name: str) -> str:
    return os.environ.get(name, "").strip()


def s3_storage_settings() -> dict[str, Any] | None:
    """The ``STORAGES["default"]`` entry for the bucket the environment names, or None.

    The keys come from boto3's own chain (``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY``,
    or an instance role). Files are private (no ACL): a reader gets one only through a view
    that checks access, which streams it or redirects to a presigned URL."""
    bucket = _environ("DJANGO_S3_BUCKET")
    if not bucket:
        return None
    endpoint = _environ("DJANGO_S3_ENDPOINT_URL") or None
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": _environ("DJANGO_S3_REGION") or None,
            # A self-hosted store (SeaweedFS, MinIO) addresses buckets by path.
            "addressing_style": _environ("DJANGO_S3_ADDRESSING_STYLE")
            or ("path" if endpoint else None),
            "signature_version": "s3v4",
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": PRESIGNED_SECONDS,
        },
    }
