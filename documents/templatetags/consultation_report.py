"""``{% synthesis_form round %}``: the settle page's form for the report's synthesis, shown to
the coordinating team until the report is published (consultation_report.can_edit_synthesis)."""

from typing import Any

from django import template

from consultations.models import Round
from documents.consultation_report import can_edit_synthesis
from documents.forms import SynthesisForm

register = template.Library()


@register.inclusion_tag("documents/partials/synthesis_form.html", takes_context=True)
def synthesis_form(context: dict[str, Any], round_: Round) -> dict[str, Any]:
    user = context["request"].user
    if not can_edit_synthesis(user, round_):
        return {"form": None}
    initial = {"synthesis": round_.synthesis, "synthesis_version": round_.synthesis_version}
    return {"round": round_, "form": SynthesisForm(initial=initial)}
