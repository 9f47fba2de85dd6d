"""Create the bucket DJANGO_S3_BUCKET at DJANGO_S3_ENDPOINT_URL if it does not exist, waiting
up to two minutes for the store to answer. Run once before the portal starts (the `bucket`
service of docker-compose.yml); the keys come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY."""

import os
import sys
import time

import boto3
from botocore.exceptions import BotoCoreError, ClientError


def main() -> int:
    bucket = os.environ["DJANGO_S3_BUCKET"]
    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ.get("DJANGO_S3_ENDPOINT_URL") or None,
        region_name=os.environ.get("DJANGO_S3_REGION") or None,
    )
    for _attempt in range(60):
        try:
            if bucket not in {b["Name"] for b in s3.list_buckets().get("Buckets", [])}:
                s3.create_bucket(Bucket=bucket)
        except (BotoCoreError, ClientError) as error:
            print(f"waiting for the object store: {error}", file=sys.stderr)
            time.sleep(2)
        else:
            print(f"bucket {bucket} is there")
            return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
