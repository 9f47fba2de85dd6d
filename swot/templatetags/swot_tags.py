from django import template

from teams.models import Meeting

from .. import selectors

register = template.Library()


@register.inclusion_tag("swot/partials/swot_boards.html")
def swot_boards(meeting: Meeting) -> dict[str, object]:
    return {"meeting": meeting, "boards": selectors.swot_boards(meeting=meeting)}
