"""``{% team_name team %}``: a team's name on a page, in the page's language (Team.page_name),
isolated (``<bdi>``) and, when it is the Polish name on a page in another language, marked
``lang="pl"`` (WCAG 2.1 SC 3.1.2). ``full=True`` puts "Branch team" before it. With ``as``,
the markup goes into a variable, for a sentence ({% blocktranslate %}) to take it."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..models import Team

register = template.Library()


@register.simple_tag
def team_name(team: Team, *, full: bool = False) -> SafeString:
    name = team.page_name
    if name.lang:
        marked = format_html('<bdi lang="{}">{}</bdi>', name.lang, name.text)
    else:
        marked = format_html("<bdi>{}</bdi>", name.text)
    if full:
        return format_html("{} {}", Team.LABEL, marked)
    return marked
