"""One confirmation page for every irreversible step (announce, open, close, publish …).

A step's button is a link (GET) to its confirmation page, which says what will happen and who
will be told, and holds a POST form with the ``CONFIRM_FIELD`` and a "Yes, …" button. The step's
POST endpoint stays the only place that acts; it asks ``is_confirmed`` first, so an old
one-click form or a forged POST without the field changes nothing. Works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TEMPLATE = "confirm.html"
CONFIRM_FIELD = "confirmed"
CONFIRM_VALUE = "yes"


@dataclass(frozen=True)
class Audience:
    """Who will be e-mailed: how many people, and who they are ("members of team X …")."""

    count: int
    description: StrOrPromise


def is_confirmed(request: HttpRequest) -> bool:
    """Did the POST come from a confirmation page?"""
    return request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def confirm_page(
    request: HttpRequest,
    *,
    title: StrOrPromise,
    subject: str,
    consequences: Sequence[StrOrPromise],
    audience: Audience | None,
    action_url: str,
    cancel_url: str,
    submit_label: StrOrPromise,
    hidden: Mapping[str, Any] | None = None,
    form: forms.Form | None = None,
    warning: StrOrPromise = "",
    refused: StrOrPromise = "",
    status: int = 200,
) -> HttpResponse:
    """The confirmation page of a step: ``title`` and ``subject`` (what it is done to), the
    ``consequences``, the ``audience`` e-mailed (None: nobody), an optional ``warning`` and
    ``form`` (e.g. a reason), and a POST to ``action_url`` carrying ``hidden`` and the
    confirmation field; Cancel goes to ``cancel_url``. A step the service would refuse
    whatever is sent (``refused``: why) is not offered: the page says why, with no button
    and no count of people to e-mail, and leads back."""
    context = {
        "refused": refused,
        "title": title,
        "subject": subject,
        "consequences": consequences,
        "audience": audience,
        "action_url": action_url,
        "cancel_url": cancel_url,
        "submit_label": submit_label,
        "hidden": dict(hidden or {}),
        "form": form,
        "warning": warning,
        "confirm_field": CONFIRM_FIELD,
        "confirm_value": CONFIRM_VALUE,
    }
    return render(request, TEMPLATE, context, status=status)
