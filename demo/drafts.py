"""Demo programme draft for ``seed_demo``: a working copy built from the seeds' content and
its version 1. Idempotent: a draft that already has paragraphs or versions is left as it is.

The text is seeded content and stays in Polish. Where the seeds hold the words (legal basis,
the sectoral strategy's goal and areas, the meeting's next steps) they are used verbatim;
the rest are short statutory formulas (art. 5 ust. 3, art. 5a ust. 4), not invented policy.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from demo import seed_data
from drafts.models import DraftElement, DraftVersion, ProgrammeDraft
from drafts.services import (
    STATUTORY_TEMPLATE,
    draft_ensure,
    draft_version_publish,
    linkable_actions,
    linkable_goals,
    paragraph_add,
    section_link,
    statutory_text,
)
from teams.models import Meeting, Programme, User


def _points(kind: str) -> list[str]:
    points: list[str] = []
    for section_kind, _title, section_points in seed_data.CONTEXT_SECTIONS:
        if section_kind == kind:
            points.extend(point.removeprefix("- ") for point in section_points)
    return points


def _content(programme: Programme) -> dict[int, list[str]]:
    legal = [p for p in _points("legal_basis") if p[:1].isupper() and not p.isupper()]
    sectoral = _points("sectoral")
    return {
        DraftElement.PREAMBLE: [
            "Na podstawie: " + "; ".join(legal) + ".",
            "Program powstaje w trybie konsultacji z organizacjami pozarządowymi.",
        ],
        DraftElement.GOALS: [
            "Celem głównym programu jest rozwój współpracy Gminy Miejskiej Kraków "
            "z organizacjami pozarządowymi w realizacji zadań publicznych.",
            # One line each, as legal drafting sets them: "1) Obszar …" is point 1 (pkt 1),
            # which a comment may name (drafts.units reads points at the start of a line).
            "\n".join(["Program jest zbieżny z dokumentami sektorowymi:", *sectoral]),
        ],
        DraftElement.PRINCIPLES: STATUTORY_TEMPLATE[DraftElement.PRINCIPLES],
        DraftElement.SCOPE: [
            "Przedmiotem współpracy jest realizacja zadań publicznych, o których mowa "
            "w art. 4 ust. 1 ustawy o działalności pożytku publicznego i o wolontariacie.",
        ],
        DraftElement.FORMS: [
            "Współpraca odbywa się w formach, o których mowa w art. 5 ust. 2 ustawy.",
        ],
        DraftElement.PRIORITY_TASKS: [
            "Priorytetowe zadania publiczne obejmują działania postulowane przez zespoły "
            "branżowe, wymienione poniżej.",
        ],
        DraftElement.PERIOD: statutory_text(programme)[DraftElement.PERIOD],
        DraftElement.IMPLEMENTATION: [
            "Program realizują komórki organizacyjne Urzędu Miasta Krakowa i miejskie "
            "jednostki organizacyjne we współpracy z organizacjami pozarządowymi.",
        ],
        DraftElement.FUNDS: [
            "Wysokość środków na realizację programu określają uchwały budżetowe na "
            "poszczególne lata.",
        ],
        DraftElement.EVALUATION: [
            "Realizacja programu podlega corocznej ocenie przedstawianej Radzie Miasta Krakowa.",
        ],
        DraftElement.CREATION: [
            "Program został wypracowany przez zespoły branżowe i Zespół Koordynujący. "
            "Kolejne kroki: " + " ".join(seed_data.MEETING_NEXT_STEPS),
        ],
        DraftElement.COMMITTEES: [
            "Komisje konkursowe do opiniowania ofert w otwartych konkursach ofert powołuje "
            "Prezydent Miasta Krakowa.",
        ],
    }


def seed_programme_draft(*, programme: Programme, meeting: Meeting) -> DraftVersion:
    """The programme's working copy with the seeds' content and the meeting's goals and 18
    actions linked, and its version 1 (created once)."""
    coordinator = User.objects.filter(is_coordinator=True).order_by("pk").first()
    assert coordinator is not None  # seed_demo creates the coordinator first
    draft = draft_ensure(actor=coordinator, programme=programme)
    existing = draft.versions.order_by("number").first()
    if existing is not None:
        return existing
    if not ProgrammeDraft.objects.filter(pk=draft.pk, sections__paragraphs__isnull=False).exists():
        sections = {section.element: section for section in draft.sections.all()}
        for element, texts in _content(programme).items():
            for text in texts:
                paragraph_add(actor=coordinator, section=sections[element], text=text)
        section_link(
            actor=coordinator,
            section=sections[DraftElement.GOALS],
            goals=list(linkable_goals(programme).filter(meeting=meeting)),
            actions=[],
        )
        section_link(
            actor=coordinator,
            section=sections[DraftElement.PRIORITY_TASKS],
            goals=[],
            actions=list(linkable_actions(programme).filter(meeting=meeting)),
        )
    version = draft_version_publish(
        actor=coordinator, draft=draft, note="Pierwsza wersja projektu programu."
    )
    # Dated as it happened (seed_data.VERSION_1_PUBLISHED), before its publication is frozen
    # after the commit.
    published = dt.datetime(*seed_data.VERSION_1_PUBLISHED, tzinfo=ZoneInfo("Europe/Warsaw"))
    DraftVersion.objects.filter(pk=version.pk).update(published_at=published)
    version.published_at = published
    return version
