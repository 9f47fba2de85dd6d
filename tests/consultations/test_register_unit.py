"""A comment received by letter on a section or point of a paragraph ("§ 5 ust. 2 pkt 3") is
registered and corrected with that unit, by the portal's comment form's rule
(services._paragraph_unit); the report and the comment table name it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from consultations import register_services
from consultations.models import Channel, Comment, Round
from consultations.phases import Phase
from consultations.register_services import Submitter
from consultations.selectors import round_items
from core.errors import Refused
from documents.comment_table import comment_table_rows
from drafts import services as draft_services
from drafts.models import DraftElement, DraftSection, ProgrammeDraft
from teams.models import Meeting, User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
DAY = dt.timedelta(days=1)
TEXT = (
    "1. Program określa zasady współpracy.\n"
    "2. Współpraca obejmuje:\n"
    "1) zlecanie zadań publicznych;\n"
    "2) konsultowanie aktów prawa miejscowego."
)
NO_UNIT = "This paragraph has no ust. 9: name a section or point as the text numbers it."
NOT_A_PARAGRAPH = "A section or point can be named only for a paragraph of the draft."


@pytest.fixture
def consulted(
    make_round: Callable[..., Round], seeded: Meeting, coordinator: User
) -> tuple[Round, str, int]:
    """An open round announced ten days ago, consulting a draft version with a paragraph of
    two sections, the second with two points; the paragraph's uid and number."""
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    section = DraftSection.objects.get(draft=draft, element=DraftElement.FORMS)
    paragraph = draft_services.paragraph_add(actor=coordinator, section=section, text=TEXT)
    version = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    number = next(
        p["number"]
        for s in version.snapshot["sections"]
        for p in s["paragraphs"]
        if p["uid"] == str(paragraph.uid)
    )
    round_ = make_round(Phase.OPEN, draft_version=version)
    Round.objects.filter(pk=round_.pk).update(announced_at=timezone.now() - 10 * DAY)
    round_.refresh_from_db()
    return round_, str(paragraph.uid), number


def form(uid: str, **fields: Any) -> dict[str, Any]:
    data = {
        "channel": Channel.POST,
        "received_at": timezone.localtime(timezone.now() - 2 * DAY).strftime("%Y-%m-%dT%H:%M"),
        "person_name": "Anna Przykładowa",
        "item": f"paragraph:{uid}",
        "unit": "",
        "text": "Uwaga nadesłana pocztą.",
        "proposed_wording": "",
        "submitter_justification": "",
    }
    data.update(fields)
    return data


def register(client: Client, round_: Round, uid: str, **fields: Any) -> Any:
    return client.post(f"/consultations/{round_.pk}/register/", form(uid, **fields))


def test_it_registers_a_letter_on_a_point_with_the_unit_named_as_the_online_form_names_it(
    consulted: tuple[Round, str, int], coordinator: User, as_user: Login
) -> None:
    round_, uid, number = consulted
    page = as_user(coordinator).get(f"/consultations/{round_.pk}/register/").content.decode()
    assert 'name="unit"' in page and "Section or point (optional)" in page
    response = register(as_user(coordinator), round_, uid, unit="ust 2, pkt 1")
    assert response.status_code == 302, response.content.decode()[:2000]
    comment = Comment.objects.get(round=round_)
    assert comment.paragraph_unit == "ust. 2 pkt 1"
    assert comment.item_label == f"§ {number} ust. 2 pkt 1"
    assert comment.unit_wording == "zlecanie zadań publicznych;"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"unit": "ust. 9"}, NO_UNIT),
        ({"unit": "art. 5"}, "This paragraph has no art. 5"),
        ({"unit": "ust. 2", "item": ""}, NOT_A_PARAGRAPH),
    ],
)
def test_it_refuses_a_unit_the_item_does_not_have_at_the_field_stores_nothing_keeps_the_text(
    consulted: tuple[Round, str, int],
    coordinator: User,
    as_user: Login,
    fields: dict[str, str],
    message: str,
) -> None:
    round_, uid, _number = consulted
    response = register(
        as_user(coordinator), round_, uid, text="Treść listu, która nie ginie.", **fields
    )
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors["unit"])
    body = response.content.decode()
    assert message.split(":")[0] in body
    assert f'value="{fields["unit"]}"' in body  # the unit as typed, to correct
    assert "Treść listu, która nie ginie." in body
    assert not Comment.objects.filter(round=round_).exists()


def test_the_service_refuses_a_unit_the_paragraph_does_not_have_whoever_calls_it(
    consulted: tuple[Round, str, int], coordinator: User
) -> None:
    round_, uid, _number = consulted
    (paragraph,) = [p for p in round_items(round_).paragraphs if p.uid == uid]
    with pytest.raises(Refused, match="This paragraph has no ust. 9"):
        register_services.comment_register(
            actor=coordinator,
            round_=round_,
            channel=Channel.POST,
            received_at=timezone.now() - DAY,
            submitter=Submitter(person="Anna Przykładowa"),
            text="Uwaga.",
            item=paragraph,
            paragraph_unit="ust. 9",
        )
    assert not Comment.objects.filter(round=round_).exists()


def shown_values(response: Any) -> dict[str, Any]:
    """What the browser sends back from the correction page untouched."""
    bound = response.context["form"]
    values = {name: bound[name].value() for name in bound.fields if name != "original"}
    values["received_at"] = values["received_at"].strftime("%Y-%m-%dT%H:%M")  # shown local
    return {name: "" if value is None else value for name, value in values.items()}


def test_a_correction_keeps_the_unit_changes_it_and_refuses_one_the_paragraph_lacks(
    consulted: tuple[Round, str, int], coordinator: User, as_user: Login
) -> None:
    round_, uid, number = consulted
    client = as_user(coordinator)
    assert register(client, round_, uid, unit="ust. 2 pkt 1").status_code == 302
    comment = Comment.objects.get(round=round_)
    url = reverse("consultations:comment-register-edit", args=[comment.pk])

    # Sent back with only the text corrected: the unit stays.
    page = client.get(url)
    assert 'value="ust. 2 pkt 1"' in page.content.decode()
    response = client.post(url, {**shown_values(page), "text": "Poprawiona treść."})
    assert response.status_code == 302, response.content.decode()[:2000]
    comment.refresh_from_db()
    assert (comment.text, comment.paragraph_unit) == ("Poprawiona treść.", "ust. 2 pkt 1")

    # Another unit of the same paragraph.
    page = client.get(url)
    assert client.post(url, {**shown_values(page), "unit": "UST.1"}).status_code == 302
    comment.refresh_from_db()
    assert comment.paragraph_unit == "ust. 1"
    assert comment.item_label == f"§ {number} ust. 1"

    # None: the paragraph as a whole.
    page = client.get(url)
    assert client.post(url, {**shown_values(page), "unit": ""}).status_code == 302
    comment.refresh_from_db()
    assert comment.paragraph_unit == ""

    # One the paragraph does not have: refused at the field, nothing changed.
    page = client.get(url)
    response = client.post(url, {**shown_values(page), "unit": "ust. 9", "text": "Nowa."})
    assert response.status_code == 400
    assert NO_UNIT in response.context["form"].errors["unit"]
    assert 'value="ust. 9"' in response.content.decode()
    comment.refresh_from_db()
    assert (comment.text, comment.paragraph_unit) == ("Poprawiona treść.", "")


def test_the_report_and_the_comment_table_name_a_registered_comments_unit(
    consulted: tuple[Round, str, int], coordinator: User, as_user: Login
) -> None:
    round_, uid, number = consulted
    client = as_user(coordinator)
    assert register(client, round_, uid, unit="ust. 2 pkt 2").status_code == 302
    comment = Comment.objects.get(round=round_)
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - DAY / 2)
    round_.refresh_from_db()

    body = client.get(f"/consultations/{round_.pk}/report/").content.decode()
    row = re.search(rf'<tr id="report-{comment.pk}">(.*?)</tr>', body, re.DOTALL)
    assert row is not None
    assert f"§ {number} ust. 2 pkt 2" in row.group(1)
    with translation.override("pl"):
        (table_row,) = comment_table_rows(round_)
    assert table_row.unit == f"§ {number} ust. 2 pkt 2 (wersja {round_.draft_version.number})"
    assert table_row.current_wording == "konsultowanie aktów prawa miejscowego."
