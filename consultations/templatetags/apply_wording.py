"""The settling page's per-comment tools for a proposed wording (the include
consultations/partials/settle_comment_tools.html asks ``{% wording_tools round comment %}``)."""

from __future__ import annotations

from typing import Any

from django import template

from .. import apply_wording
from .. import permissions as perms
from ..apply_wording_views import ApplyWordingForm, wording_prefix
from ..models import Comment, Round

register = template.Library()


@register.simple_tag(takes_context=True)
def wording_tools(context: template.Context, round_: Round, comment: Comment) -> dict[str, Any]:
    """Empty unless the comment proposes a wording for a paragraph; else the paragraph of the
    working copy (None when removed), whether the wording was applied or the paragraph changed
    since the consultation, whether the viewer wrote the comment, and the one-step form."""
    tools = apply_wording.settle_tools(round_, comment)
    if tools is None:
        return {}
    request = context.get("request")
    user = getattr(request, "user", None)
    form = None
    if tools.paragraph is not None and not tools.applied and not tools.changed_since:
        form = ApplyWordingForm(
            prefix=wording_prefix(comment),
            initial={
                "text": apply_wording.proposed_paragraph(comment),
                "paragraph_version": tools.paragraph.version,
                "comment_version": comment.version,
            },
        )
    return {
        "tools": tools,
        "own": user is not None and perms.decides_on_own(user, comment),
        "form": form,
    }
