"""A round that consults a published version of the programme draft: comments on its
paragraphs (by their stable uid), refusals, the report's labels and links."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultations import services
from consultations.models import Comment, Round
from consultations.phases import Phase
from drafts.models import DraftParagraph, DraftVersion
from teams.models import Meeting, Organisation, User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


@pytest.fixture
def version(seeded: Meeting) -> DraftVersion:
    return DraftVersion.objects.get(draft__programme=seeded.team.programme, number=1)


def _numbered(version: DraftVersion, number: int) -> dict:
    for section in version.snapshot["sections"]:
        for paragraph in section["paragraphs"]:
            if paragraph.get("number") == number:
                return paragraph
    raise AssertionError(f"no § {number}")


@pytest.fixture
def draft_round(make_round: Callable[..., Round], version: DraftVersion) -> Round:
    return make_round(Phase.OPEN, meeting=None, draft_version=version, title="Draft round")


def _post(client: Client, round_: Round, **data: str):
    payload = {
        "comment-text": "Paragraph comment.",
        "comment-item": "",
        "comment-token": uuid.uuid4(),
    }
    payload.update({f"comment-{k}": v for k, v in data.items()})
    return client.post(f"/consultations/{round_.pk}/comments/", payload)


def test_a_member_comments_on_a_paragraph_of_the_consulted_version(
    draft_round: Round,
    version: DraftVersion,
    member: User,
    member_org: Organisation,
    as_user: Login,
) -> None:
    paragraph = _numbered(version, 2)
    client = as_user(member)
    page = client.get(draft_round.get_absolute_url()).content.decode()
    assert "The programme draft, version 1" in page
    assert f'value="paragraph:{paragraph["uid"]}"' in page  # a form per paragraph
    response = _post(client, draft_round, item=f"paragraph:{paragraph['uid']}")
    assert response.status_code == 302
    comment = Comment.objects.get(round=draft_round)
    assert str(comment.paragraph_uid) == paragraph["uid"]
    assert comment.organisation == member_org
    assert (comment.swot_entry, comment.goal, comment.action) == (None, None, None)
    assert comment.item_label == "§ 2"


def test_a_uid_not_in_the_consulted_version_is_refused_and_nothing_is_stored(
    draft_round: Round, member: User, member_org: Organisation, as_user: Login
) -> None:
    response = _post(as_user(member), draft_round, item=f"paragraph:{uuid.uuid4()}")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(services.Refused, match="not consulted"):
        services.comment_post(
            actor=member,
            round_=draft_round,
            text="x",
            author_role="organisation",
            organisation=member_org,
            paragraph_uid=uuid.uuid4(),
        )
    assert not Comment.objects.filter(round=draft_round).exists()


def test_a_paragraph_of_the_working_copy_not_in_the_version_is_refused(
    draft_round: Round, version: DraftVersion, member: User, member_org: Organisation
) -> None:
    uids = {p["uid"] for s in version.snapshot["sections"] for p in s["paragraphs"]}
    extra = DraftParagraph.objects.create(
        section=version.draft.sections.order_by("element").last(), text="Added after v1"
    )
    assert str(extra.uid) not in uids
    with pytest.raises(services.Refused):
        services.comment_post(
            actor=member,
            round_=draft_round,
            text="x",
            author_role="organisation",
            organisation=member_org,
            paragraph_uid=extra.uid,
        )
    assert not Comment.objects.filter(round=draft_round).exists()


def test_a_meeting_round_does_not_take_paragraph_comments(
    open_round: Round, version: DraftVersion, member: User, member_org: Organisation
) -> None:
    with pytest.raises(services.Refused):
        services.comment_post(
            actor=member,
            round_=open_round,
            text="x",
            author_role="organisation",
            organisation=member_org,
            paragraph_uid=_numbered(version, 1)["uid"],
        )
    assert not Comment.objects.filter(round=open_round).exists()


def test_a_round_with_neither_meeting_nor_version_is_refused(
    coordinator: User, seeded: Meeting, as_user: Login
) -> None:
    count = Round.objects.count()
    response = as_user(coordinator).post(
        "/consultations/new/",
        {
            "title": "Nothing consulted",
            "goal": "Goal",
            "subject": "Subject",
            "responsible_office": "MOWIS",
            "contact": "mowis@example.org",
            "opens_at": "2026-12-01T08:00",
            "closes_at": "2026-12-20T08:00",
        },
    )
    assert response.status_code == 400
    assert "choose at least one" in response.content.decode()
    assert Round.objects.count() == count
    with pytest.raises(services.Refused, match="at least one"):
        services.round_create(
            actor=coordinator,
            programme=seeded.team.programme,
            title="Nothing",
            goal="g",
            subject="s",
            responsible_office="o",
            contact="c",
            opens_at=seeded.team.programme.legal_deadline,
            closes_at=seeded.team.programme.legal_deadline,
        )
    assert Round.objects.count() == count


def test_the_coordinator_creates_a_round_consulting_only_a_version(
    coordinator: User, version: DraftVersion, as_user: Login
) -> None:
    response = as_user(coordinator).post(
        "/consultations/new/",
        {
            "title": "The draft only",
            "draft_version": str(version.pk),
            "goal": "Goal",
            "subject": "Subject",
            "responsible_office": "MOWIS",
            "contact": "mowis@example.org",
            "opens_at": "2030-09-01T08:00",
            "closes_at": "2030-09-20T08:00",
        },
    )
    assert response.status_code == 302
    round_ = Round.objects.get(title="The draft only")
    assert (round_.meeting, round_.draft_version) == (None, version)
    assert round_.programme == version.draft.programme


def test_the_report_shows_the_paragraph_label_and_the_answer_link(
    make_round: Callable[..., Round],
    version: DraftVersion,
    make_comment: Callable[..., Comment],
    as_user: Login,
) -> None:
    round_ = make_round(Phase.REPORT_PUBLISHED, meeting=None, draft_version=version)
    paragraph = _numbered(version, 3)
    comment = make_comment(
        round_, paragraph_uid=paragraph["uid"], disposition="accepted", justification="Yes."
    )
    DraftParagraph.objects.get(uid=paragraph["uid"]).answers.add(comment)
    client = as_user(None)
    page = client.get(f"/consultations/{round_.pk}/report/").content.decode()
    assert "§ 3" in page
    assert "Answered in the programme draft" in page
    assert f"/programme-draft/{version.draft_id}/compare/" in page
    csv = client.get(f"/consultations/{round_.pk}/report.csv").content.decode()
    assert "§ 3" in csv
    xlsx = client.get(f"/consultations/{round_.pk}/report.xlsx")
    assert xlsx.status_code == 200


def test_the_report_issues_as_many_queries_with_many_answered_comments(
    make_round: Callable[..., Round],
    version: DraftVersion,
    make_comment: Callable[..., Comment],
    as_user: Login,
) -> None:
    def build(n: int) -> Round:
        round_ = make_round(Phase.REPORT_PUBLISHED, meeting=None, draft_version=version)
        uid = _numbered(version, 1)["uid"]
        paragraph = DraftParagraph.objects.get(uid=uid)
        for i in range(n):
            comment = make_comment(
                round_, text=f"c{i}", paragraph_uid=uid, disposition="accepted", justification="j"
            )
            paragraph.answers.add(comment)
        return round_

    small, large = build(2), build(20)
    client = as_user(None)

    def count(round_: Round) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/consultations/{round_.pk}/report/").status_code == 200
        return len(queries)

    assert count(small) == count(large)


def test_the_comment_constraint_allows_at_most_one_item(
    draft_round: Round, version: DraftVersion, seeded: Meeting, make_comment
) -> None:
    from django.db import IntegrityError, transaction

    action = seeded.actions.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_comment(draft_round, action=action, paragraph_uid=_numbered(version, 1)["uid"])


@pytest.mark.parametrize("who", ["anonymous", "other_rep"])
def test_the_draft_round_page_issues_as_many_queries_with_many_paragraph_comments(
    make_round: Callable[..., Round],
    version: DraftVersion,
    make_comment: Callable[..., Comment],
    as_user: Login,
    request: pytest.FixtureRequest,
    who: str,
) -> None:
    uid = _numbered(version, 1)["uid"]

    def build(n: int) -> Round:
        round_ = make_round(Phase.OPEN, meeting=None, draft_version=version)
        for i in range(n):
            make_comment(round_, text=f"c{i}", paragraph_uid=uid)
        return round_

    small, large = build(3), build(30)
    client = as_user(None if who == "anonymous" else request.getfixturevalue(who))

    def count(round_: Round) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(round_.get_absolute_url())
        assert response.status_code == 200
        assert "§ 1" in response.content.decode()
        return len(queries)

    assert count(small) == count(large)


def test_the_demo_open_round_consults_version_1_and_seeding_again_keeps_it(
    seeded: Meeting, version: DraftVersion
) -> None:
    from django.core.management import call_command

    from demo.consultations import OPEN_TITLE

    assert Round.objects.get(title=OPEN_TITLE).draft_version == version
    rounds = Round.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Round.objects.count() == rounds
    assert Round.objects.get(title=OPEN_TITLE).draft_version == version
    assert DraftVersion.objects.filter(draft=version.draft).count() == 1
