"""Answer templates: the coordinating team's reusable justifications, applied on the settle
page, editable before saving, never visible in the report."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from consultations.models import AnswerTemplate, Comment, Disposition, Round
from consultations.phases import Phase
from core.models import AuditEntry
from teams.models import User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
TEXT = "Uwaga wykracza poza zakres programu współpracy."
LIST = "/consultations/answer-templates/"


@pytest.fixture
def template(coordinator: User, as_user: Login) -> AnswerTemplate:
    response = as_user(coordinator).post(LIST, {"title": "Poza zakresem", "text": TEXT})
    assert response.status_code == 302
    return AnswerTemplate.objects.get(title="Poza zakresem")


def test_the_coordinating_team_creates_edits_and_deletes_templates_audited(
    coordinator: User, as_user: Login
) -> None:
    client = as_user(coordinator)
    assert client.get(LIST).status_code == 200
    assert client.post(LIST, {"title": "Poza zakresem", "text": TEXT}).status_code == 302
    saved = AnswerTemplate.objects.get()
    assert (saved.title, saved.text, saved.created_by) == ("Poza zakresem", TEXT, coordinator)
    edit = f"{LIST}{saved.pk}/edit/"
    assert "Poza zakresem" in client.get(edit).content.decode()
    response = client.post(edit, {"title": "Poza zakresem", "text": "Nowa treść.", "version": 1})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.text == "Nowa treść."
    assert client.post(f"{LIST}{saved.pk}/delete/").status_code == 302
    assert not AnswerTemplate.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="answer_template.").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == [
        "answer_template.create",
        "answer_template.delete",
        "answer_template.update",
    ]


@pytest.mark.parametrize("who", [None, "member", "moderator", "official", "expert"])
def test_only_the_coordinating_team_manages_templates(
    as_user: Login, template: AnswerTemplate, who: str | None, request: pytest.FixtureRequest
) -> None:
    client = as_user(request.getfixturevalue(who) if who else None)
    before = AuditEntry.objects.count()
    for url in (LIST, f"{LIST}{template.pk}/edit/"):
        assert client.get(url).status_code in (302, 403)
        assert client.post(url, {"title": "X", "text": "Y", "version": 1}).status_code in (
            302,
            403,
        )
    assert client.post(f"{LIST}{template.pk}/delete/").status_code in (302, 403)
    template.refresh_from_db()
    assert (template.title, template.text) == ("Poza zakresem", TEXT)
    assert AnswerTemplate.objects.count() == 1
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("data", [{"title": "", "text": TEXT}, {"title": "Pusty", "text": " "}])
def test_a_template_without_a_title_or_text_is_refused(
    coordinator: User, as_user: Login, data: dict[str, str]
) -> None:
    response = as_user(coordinator).post(LIST, data)
    assert response.status_code == 400
    assert not AnswerTemplate.objects.exists()


def test_editing_a_template_changed_meanwhile_is_a_conflict(
    coordinator: User, as_user: Login, template: AnswerTemplate
) -> None:
    client = as_user(coordinator)
    edit = f"{LIST}{template.pk}/edit/"
    assert client.post(edit, {"title": "A", "text": "Pierwsza.", "version": 1}).status_code == 302
    response = client.post(edit, {"title": "B", "text": "Druga.", "version": 1})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Pierwsza." in html and "Druga." in html
    template.refresh_from_db()
    assert template.text == "Pierwsza."


def test_applying_a_template_fills_the_justification_without_saving(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    as_user: Login,
    template: AnswerTemplate,
) -> None:
    comment = make_comment(closed_round)
    client = as_user(coordinator)
    page = client.get(f"/consultations/{closed_round.pk}/settle/").content.decode()
    # With JavaScript the choice fills the field at once (static/js/settle.js reads data-text).
    assert f'data-text="{TEXT}"' in page
    response = client.post(
        f"/consultations/{closed_round.pk}/settle/",
        {
            "comments": [comment.pk],
            f"version-{comment.pk}": comment.version,
            "disposition": Disposition.NOT_CONSIDERED,
            "justification": "",
            "template": template.pk,
            "apply": "1",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    textarea = re.search(r'<textarea[^>]*name="justification"[^>]*>([^<]*)</textarea>', html)
    assert textarea is not None and TEXT in textarea.group(1)
    assert re.search(rf'<input[^>]*id="choose-{comment.pk}"[^>]*checked', html)
    comment.refresh_from_db()
    assert comment.disposition == ""


def test_the_filled_text_is_edited_and_saved_and_the_report_never_names_the_template(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    as_user: Login,
    template: AnswerTemplate,
) -> None:
    comment = make_comment(closed_round)
    client = as_user(coordinator)
    edited = TEXT + " Zostanie rozważona w kolejnym programie."
    # The template is deleted while the coordinator's page still holds its text: the text
    # they send is what is saved.
    client.post(f"{LIST}{template.pk}/delete/")
    response = client.post(
        f"/consultations/{closed_round.pk}/settle/",
        {
            "comments": [comment.pk],
            f"version-{comment.pk}": comment.version,
            "disposition": Disposition.NOT_CONSIDERED,
            "justification": edited,
        },
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.justification == edited
    Round.objects.filter(pk=closed_round.pk).update(status=Phase.SETTLED)
    report = client.get(f"/consultations/{closed_round.pk}/report/").content.decode()
    assert edited in report
    assert "Poza zakresem" not in report


def test_applying_a_template_deleted_meanwhile_is_a_clear_message(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    as_user: Login,
    template: AnswerTemplate,
) -> None:
    comment = make_comment(closed_round)
    client = as_user(coordinator)
    pk = template.pk
    client.post(f"{LIST}{pk}/delete/")
    response = client.post(
        f"/consultations/{closed_round.pk}/settle/",
        {
            "comments": [comment.pk],
            f"version-{comment.pk}": comment.version,
            "disposition": Disposition.ACCEPTED,
            "justification": "Mój tekst.",
            "template": pk,
            "apply": "1",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "no longer exists" in html
    assert "Mój tekst." in html
    comment.refresh_from_db()
    assert comment.disposition == ""


def test_applying_no_template_asks_for_one_and_without_templates_none_is_offered(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    as_user: Login,
    template: AnswerTemplate,
) -> None:
    """ "Apply" with "write it yourself" chosen is not a deleted template; and where there are
    no templates, no choice and no "Apply" button are offered, only the way to make one."""
    comment = make_comment(closed_round)
    client = as_user(coordinator)
    settle = f"/consultations/{closed_round.pk}/settle/"
    response = client.post(
        settle,
        {
            "comments": [comment.pk],
            f"version-{comment.pk}": comment.version,
            "justification": "Mój tekst.",
            "template": "",
            "apply": "1",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose an answer template to apply" in html
    assert "no longer exists" not in html
    assert "Mój tekst." in html
    assert 'name="apply"' in client.get(settle).content.decode()
    template.delete()
    page = client.get(settle).content.decode()
    assert 'name="apply"' not in page
    assert "There are no answer templates yet" in page
    assert f'href="{LIST}"' in page


def test_a_second_template_of_the_same_title_is_refused(
    template: AnswerTemplate, coordinator: User, as_user: Login
) -> None:
    """The settle page's select lists templates by title: two alike could not be told apart.
    Saving one under its own title stays possible."""
    client = as_user(coordinator)
    response = client.post(LIST, {"title": "poza ZAKRESEM ", "text": "Inny tekst."}, follow=True)
    assert "There is already a template titled" in response.content.decode()
    assert AnswerTemplate.objects.count() == 1
    edit = f"{LIST}{template.pk}/edit/"
    saved = client.post(edit, {"title": "Poza zakresem", "text": "Nowa.", "version": 1})
    assert saved.status_code == 302
