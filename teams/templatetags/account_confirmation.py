"""``{% confirmation_again_at as again_at %}``: on the "e-mail sent" page, when the person may
ask for a new confirmation e-mail if allauth held back the one they just asked for
(teams.adapter); None if one was sent. ``{% unconfirmed_signup_days %}``: after how many days
a sign-up never confirmed is erased (teams.services), for the confirmation e-mail."""

from __future__ import annotations

import datetime as dt

from django import template

from ..adapter import held_confirmation_again_at
from ..services import UNCONFIRMED_SIGNUP_DAYS

register = template.Library()


@register.simple_tag(takes_context=True)
def confirmation_again_at(context: template.Context) -> dt.datetime | None:
    request = context.get("request")
    return held_confirmation_again_at(request) if request is not None else None


@register.simple_tag
def unconfirmed_signup_days() -> int:
    return UNCONFIRMED_SIGNUP_DAYS
