"""``{% what_i_can_do %}``: the account page's answer to "What can I do now?", composed here
(the project layer) because it asks the permissions of several apps (krakow_ngo.landing)."""

from __future__ import annotations

from typing import Any

from django import template

from krakow_ngo.landing import landing_for

register = template.Library()


@register.inclusion_tag("teams/partials/what_i_can_do.html", takes_context=True)
def what_i_can_do(context: dict[str, Any]) -> dict[str, Any]:
    return {"landing": landing_for(context["request"].user)}
