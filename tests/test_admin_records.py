"""The Django admin is no back door around the portal's records: a comment of a round whose
report is published cannot be changed there, no comment can be deleted there (the register is
gapless; a comment is withdrawn, never lost), and a meeting's phase moves only through its
steps."""

from __future__ import annotations

import pytest
from django.test import Client

from consultations.models import Comment
from consultations.phases import Phase
from teams.models import Meeting, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client: Client, seeded: Meeting) -> Client:
    client.force_login(User.objects.create_superuser("root@example.org", "x-long-Passw0rd"))
    client.cookies["django_language"] = "en"
    return client


def test_a_comment_of_a_published_report_is_read_only_and_no_comment_is_deleted(
    root: Client, seeded: Meeting
) -> None:
    published = Comment.objects.filter(round__status=Phase.REPORT_PUBLISHED).first()
    assert published is not None
    url = f"/admin/consultations/comment/{published.pk}/change/"
    page = root.get(url)
    assert page.status_code == 200  # still readable
    assert 'name="_save"' not in page.content.decode()
    response = root.post(url, {"text": "Przepisana uwaga", "disposition": "not_accepted"})
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.text != "Przepisana uwaga"
    for comment in (published, Comment.objects.exclude(round=published.round).first()):
        assert comment is not None
        delete = f"/admin/consultations/comment/{comment.pk}/delete/"
        assert root.post(delete, {"post": "yes"}).status_code == 403
        assert Comment.objects.filter(pk=comment.pk).exists()
    # A comment of a round not yet reported on can still be corrected here.
    open_comment = Comment.objects.exclude(round__status=Phase.REPORT_PUBLISHED).first()
    assert open_comment is not None
    page = root.get(f"/admin/consultations/comment/{open_comment.pk}/change/").content.decode()
    assert 'name="_save"' in page


def test_a_meetings_phase_is_not_changed_in_the_admin(root: Client, seeded: Meeting) -> None:
    assert seeded.status == Meeting.Status.PUBLISHED
    page = root.get(f"/admin/teams/meeting/{seeded.pk}/change/").content.decode()
    assert 'name="status"' not in page
    assert 'name="published_at"' not in page


def test_an_announced_meetings_date_and_place_are_changed_only_through_its_plan(
    root: Client, seeded: Meeting
) -> None:
    """Once people are invited, a new date or place goes through the plan, which e-mails it;
    in the admin those fields are read only (a draft's stay editable)."""
    from tests.swot.helpers import make_meeting

    announced = make_meeting(seeded.team, status=Meeting.Status.PLANNED)
    page = root.get(f"/admin/teams/meeting/{announced.pk}/change/").content.decode()
    for field in ("date", "place", "online_url"):
        assert f'name="{field}"' not in page, field
    draft = make_meeting(seeded.team, status=Meeting.Status.DRAFT)
    assert 'name="place"' in root.get(f"/admin/teams/meeting/{draft.pk}/change/").content.decode()
