"""User text in every output (core.text): bidirectional controls are stripped from names and
titles on input, long text is isolated where pages show it, and outputs that cannot isolate
(CSV and XLSX, calendars, e-mail subjects, PDF metadata) drop them."""

from __future__ import annotations

import csv
import importlib
import inspect
import io
import re

import pytest
from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin
from django.core import mail
from django.db import models
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone
from openpyxl import load_workbook

from consultations.models import AuthorRole, Comment, Round
from core import spreadsheets
from core.text import BIDI_CONTROLS, NameField, excerpt, link_portal_urls, strip_bidi
from notifications.outbox import outbox_enqueue, outbox_sweep
from pdf import render as pdf_render
from swot.forms import SwotTopicForm
from teams import calendar
from teams.models import Meeting, Organisation, Team, User
from tests.consultations import conftest as consultations_fixtures
from tests.pdf.helpers import pdf_info
from tests.teams.conftest import PASSWORD

pytestmark = pytest.mark.django_db
make_round = consultations_fixtures.make_round
open_round = consultations_fixtures.open_round

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: reverses everything after it on the line
CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"

# Every form of the portal where people type a name or a title.
FORM_MODULES = [
    "teams.forms",
    "teams.meeting_forms",
    "swot.forms",
    "actions.forms",
    "consultations.forms",
    "drafts.forms",
    "notifications.views",
]
NAME_FIELDS = {"name", "first_name", "last_name", "other_names", "title", "subject", "place"}


def has_no_controls(text: str) -> bool:
    return BIDI_CONTROLS.search(text) is None


# --- The one function ---------------------------------------------------------------------


def test_strip_bidi_removes_every_control_and_keeps_the_letters() -> None:
    assert strip_bidi(f"{RLO}Fundacja{CONTROLS} Zażółć ٱ") == "Fundacja Zażółć ٱ"
    assert all(not strip_bidi(character) for character in CONTROLS)


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == name:
                found.append(value)
    return found


def test_every_name_and_title_field_of_every_form_is_a_name_field() -> None:
    """All forms share the one cleaning (NameField → strip_bidi), so one test per kind of
    form (plain, model, allauth) below is enough."""
    checked = []
    for form_class in _form_classes():
        for field_name, field in form_class.base_fields.items():
            if field_name in NAME_FIELDS:
                checked.append(f"{form_class.__name__}.{field_name}")
                assert isinstance(field, NameField), f"{form_class.__name__}.{field_name}"
    for expected in (
        "SignupForm.first_name",
        "ProfileForm.last_name",
        "OrganisationForm.name",
        "TeamForm.name",
        "MeetingForm.title",
        "AgendaItemForm.title",
        "SpeakerForm.name",
        "SwotTopicForm.title",
        "GoalForm.title",
        "RoundForm.subject",
    ):
        assert expected in checked


def test_every_name_and_title_of_the_admin_is_a_name_field(rf: RequestFactory) -> None:
    request = rf.get("/admin/")
    checked = []
    for model, model_admin in admin.site._registry.items():
        admins = [(model, model_admin)]
        admins += [(inline.model, inline(model, admin.site)) for inline in model_admin.inlines]
        for each_model, each_admin in admins:
            if each_model._meta.app_label not in ("teams", "consultations", "swot", "actions"):
                continue
            for field in each_model._meta.get_fields():
                if field.name in NAME_FIELDS and isinstance(
                    field, models.CharField | models.TextField
                ):
                    formfield = each_admin.formfield_for_dbfield(field, request)
                    checked.append(f"{each_model.__name__}.{field.name}")
                    assert isinstance(formfield, NameField), checked[-1]
    for expected in ("User.first_name", "Organisation.name", "Team.name", "Round.subject"):
        assert expected in checked


def test_the_admin_strips_controls_from_a_name_and_its_pages_still_open(
    client: Client, seeded: Meeting
) -> None:
    client.force_login(User.objects.create_superuser("root@example.org", PASSWORD))
    team = seeded.team
    for path in (
        f"/admin/teams/meeting/{seeded.pk}/change/",
        f"/admin/teams/programme/{team.programme_id}/change/",
        f"/admin/teams/user/{User.objects.get(email='root@example.org').pk}/change/",
    ):
        assert client.get(path).status_code == 200, path
    response = client.post(
        f"/admin/teams/team/{team.pk}/change/",
        {
            "name": f"{RLO}ds. finansów",
            "other_names": "",
            "slug": team.slug,
            "programme": team.programme_id,
            "position": team.position,
            "description": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    team.refresh_from_db()
    assert team.name == "ds. finansów"


def test_a_plain_form_strips_controls_from_a_title(seeded: Meeting) -> None:
    form = SwotTopicForm({"title": f"  {RLO}Finanse\u2066 NGO\u2069 "}, meeting=seeded)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "Finanse NGO"


def test_signup_strips_controls_from_the_name(client: Client, seeded: Meeting) -> None:
    client.cookies["django_language"] = "en"
    response = client.post(
        "/accounts/signup/",
        {
            "email": "anna@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "first_name": f"Anna{RLO}",
            "last_name": f"\u2067Nowak{RLO}kowa",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="anna@example.org")
    assert (user.first_name, user.last_name) == ("Anna", "Nowakkowa")


@pytest.mark.parametrize(
    "name",
    [f"{RLO}\u202c ", "\u200b", "\u00a0\u00a0", "\ufeff\u2060\u00a0\u200b"],
    ids=["bidi-controls", "zero-width-space", "no-break-spaces", "mixed-invisible"],
)
def test_a_name_of_nothing_visible_is_refused_and_nothing_stored(
    client: Client, seeded: Meeting, name: str
) -> None:
    newcomer = User.objects.create_user("nowy@example.org", PASSWORD)
    EmailAddress.objects.create(user=newcomer, email=newcomer.email, verified=True, primary=True)
    client.force_login(newcomer)
    client.cookies["django_language"] = "en"
    response = client.post(
        "/organisations/new/",
        {"name": name, "legal_form": "foundation", "nip": "526-104-08-28"},
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Organisation.objects.filter(nip="5261040828").exists()


@pytest.mark.parametrize("value", ["\u200b", "\u00a0\u00a0", f"\u2060{RLO}\u00a0\ufeff"])
def test_a_name_field_takes_nothing_visible_as_empty(value: str) -> None:
    """The same rule (``is_blank``) and the same message as an empty required field."""
    with pytest.raises(forms.ValidationError) as refused:
        NameField(max_length=300).clean(value)
    assert refused.value.code == "required"
    assert refused.value.messages == [str(forms.Field.default_error_messages["required"])]
    assert NameField(max_length=300, required=False).clean(value) == ""


def test_invisible_characters_inside_a_name_stay() -> None:
    field = NameField(max_length=300)
    assert field.clean("Stowarzyszenie w\u00a0Krakowie") == "Stowarzyszenie w\u00a0Krakowie"
    assert field.clean(" Klub\u200bSportowy ") == "Klub\u200bSportowy"


def test_a_team_renamed_through_its_form_reaches_the_api_without_controls(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    team = seeded.team
    client.force_login(coordinator)
    response = client.post(
        f"/teams/{team.slug}/edit/",
        {
            "name": f"ds. {RLO}finansów",
            "other_names": f"\u202bfinanse{RLO}",
            "slug": team.slug,
            "description": team.description,
            "position": team.position,
        },
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert (team.name, team.other_names) == ("ds. finansów", "finanse")
    body = client.get(f"/api/v1/teams/{team.pk}/").json()
    assert body["name"] == "ds. finansów"


# --- Pages isolate what is shown ----------------------------------------------------------


def test_headings_isolate_names_stored_with_controls(
    client: Client, seeded: Meeting, open_round: Round, member: User
) -> None:
    # Rows written before the input was cleaned (or by the admin) may still hold controls.
    Team.objects.filter(pk=seeded.team_id).update(name=f"{RLO}Zespół")
    Meeting.objects.filter(pk=seeded.pk).update(title=f"{RLO}Spotkanie")
    Round.objects.filter(pk=open_round.pk).update(title=f"{RLO}Runda")
    organisation = Organisation.objects.create(
        name=f"{RLO}Fundacja", nip="5261040828", verified_at=timezone.now()
    )
    User.objects.filter(pk=member.pk).update(first_name=f"{RLO}Ala", show_name_publicly=True)
    Comment.objects.create(
        round=open_round,
        author=member,
        author_role=AuthorRole.EXPERT,
        text=f"{RLO}Uwaga",
    )
    team = client.get(f"/teams/{seeded.team.slug}/").content.decode()
    assert re.search(rf"<h1>[^<]*<bdi>{RLO}Zespół</bdi></h1>", team)
    meeting = client.get(f"/meetings/{seeded.pk}/").content.decode()
    assert f'<h1><bdi lang="pl">{RLO}Spotkanie</bdi></h1>' in meeting
    page = client.get(f"/organisations/{organisation.pk}/")
    assert f"<h1><bdi>{RLO}Fundacja</bdi></h1>" in page.content.decode()
    round_page = client.get(f"/consultations/{open_round.pk}/").content.decode()
    assert f'<h1><bdi lang="pl">{RLO}Runda</bdi></h1>' in round_page
    assert re.search(rf"<bdi>[^<]*\({RLO}Ala[^<]*\)</bdi>", round_page)
    assert f'<div class="comment-text" dir="auto"><p>{RLO}Uwaga</p></div>' in round_page


# --- Outputs that cannot isolate drop the controls ----------------------------------------


def test_spreadsheet_cells_lose_controls_and_stay_defused() -> None:
    assert spreadsheets.safe(f"{RLO}=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert spreadsheets.safe(f"Fundacja{RLO} Nowa") == "Fundacja Nowa"
    rows = [[f"\u2066{RLO}Ala", 3]]
    response = spreadsheets.csv_response(
        RequestFactory().get("/"), columns=["Nazwa"], rows=rows, filename="x.csv"
    )
    text = response.content.decode("utf-8-sig")
    assert has_no_controls(text)
    assert list(csv.reader(io.StringIO(text)))[1] == ["Ala", "3"]
    response = spreadsheets.xlsx_response(columns=["Nazwa"], rows=rows, filename="x", sheet="s")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet["A2"].value == "Ala"


def test_calendar_files_lose_controls(client: Client, seeded: Meeting, open_round: Round) -> None:
    Team.objects.filter(pk=seeded.team_id).update(name=f"{RLO}Zespół")
    Meeting.objects.filter(pk=seeded.pk).update(
        title=f"{RLO}Spotkanie", place=f"ul. {RLO}Długa", status=Meeting.Status.PLANNED
    )
    Round.objects.filter(pk=open_round.pk).update(title=f"{RLO}Runda")
    seeded.refresh_from_db()
    attachment = calendar.meeting_ics(seeded)
    assert "SUMMARY:Spotkanie (Zespół)" in attachment
    assert has_no_controls(attachment)
    feed = client.get(f"/teams/{seeded.team.slug}/calendar.ics").content.decode()
    assert "Runda" in feed and "X-WR-CALNAME:" in feed
    assert has_no_controls(feed)


def test_e_mail_subjects_lose_controls(member: User, open_round: Round) -> None:
    Round.objects.filter(pk=open_round.pk).update(title=f"Runda {RLO}wiosenna")
    open_round.refresh_from_db()
    row = outbox_enqueue(recipient=member, kind="round_opened", subject=open_round)
    assert row is not None
    mail.outbox.clear()
    outbox_sweep()
    (message,) = [m for m in mail.outbox if m.extra_headers["X-Outbox-Id"] == str(row.pk)]
    assert "Runda wiosenna" in message.subject
    assert has_no_controls(message.subject)


def test_pdf_metadata_loses_controls() -> None:
    document = pdf_render.PdfDocument(
        template_name="pdf/meeting_actions.html",
        context={
            "meeting": {"team": "ds. wykluczenia", "date": None, "programme": "Program"},
            "actions": [{"number": 1, "text": "Działanie"}],
        },
        title=f"Załącznik {RLO}nr 3",
        author=f"{RLO}Zespół Koordynujący",
        filename="annex.pdf",
    )
    info = pdf_info(pdf_render.render_document(document).pdf)
    assert info["Title"] == "Załącznik nr 3"
    assert info["Author"] == "Zespół Koordynujący"


# --- Links in e-mails ---------------------------------------------------------------------


@override_settings(SITE_URL="https://ngo.krakow.pl")
def test_only_the_portals_own_urls_become_links() -> None:
    html = link_portal_urls(
        "See https://ngo.krakow.pl/consultations/3/. Or https://evil.example/x?a=1&b=<2> "
        "or https://ngo.krakow.pl.evil.example/ or https://ngo.krakow.pl@evil.example/."
    )
    assert (
        '<a href="https://ngo.krakow.pl/consultations/3/">'
        "https://ngo.krakow.pl/consultations/3/</a>." in html
    )
    assert html.count("<a ") == 1
    assert "https://evil.example/x?a=1&amp;b=&lt;2&gt;" in html


# --- Excerpts ------------------------------------------------------------------------------


def test_an_excerpt_ends_after_a_whole_word_with_an_ellipsis() -> None:
    text = "Stworzenie systemu diagnozy problemów społecznych w dzielnicach Krakowa"
    assert excerpt(text, 200) == text
    assert excerpt(text, 40) == "Stworzenie systemu diagnozy problemów…"
    assert len(excerpt(text, 40)) <= 40
    assert excerpt("Bardzo,   długie\nzdanie, które trzeba skrócić", 24) == "Bardzo, długie zdanie…"
    # One word longer than half the limit is cut within it, not dropped.
    assert excerpt("Konstantynopolitańczykowianeczka", 12) == "Konstantyno…"


def test_what_a_comment_is_on_names_an_action_by_whole_words(seeded: object) -> None:
    """The report, the comment table and the audit log name an action by its number and the
    start of its text: the seeds' action 3 was "… diagnozy problemów społ…"."""
    from consultations.models import item_label

    text = "Stworzenie systemu diagnozy problemów społecznych, " * 3
    label = item_label(action_number=3, action_text=text)
    assert label.startswith("Działanie 3: Stworzenie systemu") or label.startswith(
        "Action 3: Stworzenie systemu"
    )
    assert label.endswith("…")
    assert label.removesuffix("…").split()[-1] in text.split()
    comment = Comment(pk=9, text="Dobrze, że konsultacje trwają dłużej niż w poprzednich latach.")
    assert str(comment) == "#9 Dobrze, że konsultacje trwają dłużej niż w poprzednich…"
