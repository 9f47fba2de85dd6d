"""A comment's text as the browser sends it: line breaks arrive as CR LF but the textarea's
``maxlength`` counted each as one character, and a text of invisible characters is no text
(core.text.MultilineField, which every comment field uses through ``forms.Text``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
from django.test import Client

from consultations.forms import CommentEditForm
from consultations.models import COMMENT_TEXT_LIMIT, Comment, RegistrationCounter, Round
from teams.models import User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]

# 2,000 characters as the browser counts them (line breaks as one), 2,333 as posted (CR LF).
AT_THE_LIMIT = "Punkt\n" * 333 + "Ko"
AS_POSTED = AT_THE_LIMIT.replace("\n", "\r\n")
INVISIBLE = "\u00a0\u200b\u200b"  # what the reviewer posted: NBSP, two zero-width spaces
NBSP_BETWEEN_WORDS = "Zmiana w\u00a0§\u00a05 ust.\u00a02:\r\nw\u00a0Krakowie"


def _edit_form(text: str) -> CommentEditForm:
    return CommentEditForm({"text": text, "proposed_wording": "", "version": 1})


def _post(client: Client, round_: Round, text: str) -> Any:
    # A plain form post, as with JavaScript off: no HX-Request header.
    return client.post(
        f"/consultations/{round_.pk}/comments/",
        {"comment-text": text, "comment-item": "", "comment-token": uuid4()},
    )


# --- The form -------------------------------------------------------------------------------


def test_a_text_at_the_limit_with_crlf_line_breaks_is_accepted_with_lf_only() -> None:
    assert len(AT_THE_LIMIT) == COMMENT_TEXT_LIMIT < len(AS_POSTED)
    form = _edit_form(AS_POSTED)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["text"] == AT_THE_LIMIT


def test_a_lone_carriage_return_is_a_line_break_too() -> None:
    form = _edit_form("Pierwszy\rdrugi\r\ntrzeci\n\rczwarty")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["text"] == "Pierwszy\ndrugi\ntrzeci\n\nczwarty"


def test_one_character_over_the_limit_is_still_refused() -> None:
    form = _edit_form(AS_POSTED + "x")
    assert not form.is_valid()
    assert form.has_error("text", "max_length")
    params = form.errors.as_data()["text"][0].params or {}
    assert (params["limit_value"], params["show_value"]) == (2000, 2001)


@pytest.mark.parametrize(
    "text",
    [
        INVISIBLE,
        "\u200b",
        "\u200c\u200d\u2060\ufeff",  # zero-width non-joiner, joiner, word joiner, BOM
        " \u00a0\r\n\u2007\u202f\u3000\t",  # spaces of every width and line breaks
        "\u00ad\u2062\u206f",  # soft hyphen, invisible times, nominal digit shapes (Cf)
        "\u3164\u115f\u2800\ufe0f",  # Hangul fillers, blank braille, a variation selector
    ],
)
def test_a_text_of_only_invisible_characters_is_required(text: str) -> None:
    form = _edit_form(text)
    assert not form.is_valid()
    assert form.has_error("text", "required")  # Django's own "This field is required."


def test_an_optional_text_of_only_invisible_characters_is_empty() -> None:
    form = CommentEditForm(
        {"text": "Uwaga", "proposed_wording": INVISIBLE, "submitter_justification": "\u200b"}
        | {"version": 1}
    )
    assert form.is_valid(), form.errors
    data = form.cleaned_data
    assert (data["proposed_wording"], data["submitter_justification"]) == ("", "")


def test_invisible_characters_inside_a_real_text_are_kept() -> None:
    text = "\u200bw\u00a0Krakowie\u200d 👩\u200d👩\u200d👧"
    form = _edit_form(f" \u00a0{text}\u00a0\r\n")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["text"] == text  # white space around it goes, as Django strips


# --- Through the views, as a plain form post ------------------------------------------------


def test_a_comment_at_the_limit_with_crlf_is_stored_with_lf_and_its_author_can_edit_it(
    open_round: Round, member: User, as_user: Login
) -> None:
    client = as_user(member)
    assert _post(client, open_round, AS_POSTED).status_code == 302
    comment = Comment.objects.get(round=open_round)
    assert comment.text == AT_THE_LIMIT and "\r" not in comment.text
    assert comment.registration_number

    edited = AT_THE_LIMIT[:-2] + "Ok"
    response = client.post(
        f"/consultations/comments/{comment.pk}/edit/",
        {"text": edited.replace("\n", "\r\n"), "proposed_wording": "", "version": comment.version},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.text == edited


def test_a_comment_of_only_invisible_characters_is_refused_and_nothing_is_saved(
    open_round: Round, member: User, as_user: Login
) -> None:
    counters = list(RegistrationCounter.objects.values_list("year", "last"))
    response = _post(as_user(member), open_round, INVISIBLE)
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Comment.objects.filter(round=open_round).exists()
    assert list(RegistrationCounter.objects.values_list("year", "last")) == counters


def test_a_no_break_space_between_words_is_kept(
    open_round: Round, member: User, as_user: Login
) -> None:
    assert _post(as_user(member), open_round, NBSP_BETWEEN_WORDS).status_code == 302
    comment = Comment.objects.get(round=open_round)
    assert comment.text == NBSP_BETWEEN_WORDS.replace("\r\n", "\n")
    assert comment.text.count("\u00a0") == 4
