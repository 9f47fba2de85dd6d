"""The original of a registered comment in an S3 bucket (a real SeaweedFS on loopback): stored
there, never on the local disk, and served from there to the coordinating team only."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from consultations.models import Comment, Round
from teams.models import User
from tests.integration.s3 import S3Server, s3_server, s3_storage  # noqa: F401 - fixtures

from .test_register import PDF, Login, announced_round, register  # noqa: F401 - fixture

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_original_is_stored_in_the_bucket_and_served_to_the_coordinating_team_only(
    s3_storage: str,  # noqa: F811
    s3_server: S3Server,  # noqa: F811
    announced_round: Round,  # noqa: F811
    coordinator: User,
    member: User,
    as_user: Login,
) -> None:
    upload = SimpleUploadedFile("skan.pdf", PDF, content_type="application/pdf")
    register(as_user(coordinator), announced_round, original=upload)
    comment = Comment.objects.get(round=announced_round)
    assert s3_server.keys(s3_storage) == [comment.attachment.name]
    stored = s3_server.client().get_object(Bucket=s3_storage, Key=comment.attachment.name)
    assert stored["Body"].read() == PDF
    assert not Path(settings.MEDIA_ROOT).exists()

    url = f"/consultations/comments/{comment.pk}/original/"
    response = as_user(coordinator).get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert as_user(member).get(url).status_code == 404
    assert as_user(None).get(url).status_code == 302  # to the login page
