"""Create the bucket DJANGO_S3_BUCKET at DJANGO_S3_ENDPOINT_URL if it does not exist, waiting
up to two minutes for the store to answer. Run once before the portal starts (the `bucket`
service of docker-compose.yml); the keys come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.

It asks for the one bucket (HEAD), not for the list of all buckets: the portal's keys have
rights on their bucket only (docs/operations.md "Object storage"), and listing every bucket
needs a right of its own (s3:ListAllMyBuckets on AWS) that such keys lack."""

import os
import sys
import time
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

#: Tries, and seconds between them, while the store does not answer yet (SeaweedFS's S3
#: gateway answers errors until its filer is up).
ATTEMPTS = 60
PAUSE_SECONDS = 2
DENIED = {"403", "AccessDenied"}
MISSING = {"404", "NoSuchBucket"}


class NoRights(Exception):
    """The store answers, but these keys may not use or create the bucket: waiting will not
    help, so the script stops at once and says so."""


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _no_rights(bucket: str, doing: str) -> NoRights:
    key = os.environ.get("AWS_ACCESS_KEY_ID", "(boto3's default credentials)")
    return NoRights(
        f"the keys {key} have no rights on the bucket {bucket}: {doing} was refused (403). "
        "Give them read, write, delete and list on that bucket (and the right to create it, "
        "or create it with other keys); docs/operations.md, Object storage."
    )


def bucket_exists(s3: Any, bucket: str) -> bool:
    """Whether the bucket is there (HEAD: needs rights on this bucket only)."""
    try:
        s3.head_bucket(Bucket=bucket)
    except ClientError as error:
        if _code(error) in MISSING:
            return False
        if _code(error) in DENIED:
            raise _no_rights(bucket, "HEAD") from error
        raise
    return True


def ensure_bucket(s3: Any, bucket: str) -> None:
    """Create the bucket unless it is there."""
    if bucket_exists(s3, bucket):
        return
    try:
        s3.create_bucket(Bucket=bucket)
    except ClientError as error:
        if _code(error) in DENIED:
            raise _no_rights(bucket, "creating it") from error
        raise


def main() -> int:
    bucket = os.environ["DJANGO_S3_BUCKET"]
    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ.get("DJANGO_S3_ENDPOINT_URL") or None,
        region_name=os.environ.get("DJANGO_S3_REGION") or None,
    )
    for _attempt in range(ATTEMPTS):
        try:
            ensure_bucket(s3, bucket)
        except NoRights as error:
            print(f"cannot prepare the bucket: {error}", file=sys.stderr)
            return 1
        except (BotoCoreError, ClientError) as error:
            print(f"waiting for the object store: {error}", file=sys.stderr)
            time.sleep(PAUSE_SECONDS)
        else:
            print(f"bucket {bucket} is there")
            return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
