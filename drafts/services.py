"""Writes (and the snapshot read) for the programme draft.

The coordinating team edits the working copy (``ProgrammeDraft`` with its sections and
paragraphs); ``draft_version_publish`` freezes it into a numbered, dated ``DraftVersion``
whose snapshot holds every paragraph with its stable uid and the goals and actions linked
into the goals and priority-tasks chapters, as they read at that moment.

Paragraph edits carry the version the editor saw: a conditional UPDATE lets one of two
concurrent edits win and tells the other (``ConflictError``); nothing is lost.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import Action, Goal
from core.audit import audit_record
from core.dates import prose_date
from core.errors import ConflictError, Refused
from teams.models import Meeting, Programme, User

from . import answers
from .answers import Citable
from .audit import DraftsAudit
from .models import (
    DraftElement,
    DraftParagraph,
    DraftSection,
    DraftVersion,
    ProgrammeDraft,
)
from .signals import version_adopted, version_published, version_publishing

# Seeded content: the chapters' titles in Polish, as the programme itself prints them.
CHAPTER_TITLES = {
    DraftElement.PREAMBLE: "Preambuła",
    DraftElement.GOALS: "Cel główny i cele szczegółowe programu",
    DraftElement.PRINCIPLES: "Zasady współpracy",
    DraftElement.SCOPE: "Zakres przedmiotowy",
    DraftElement.FORMS: "Formy współpracy",
    DraftElement.PRIORITY_TASKS: "Priorytetowe zadania publiczne",
    DraftElement.PERIOD: "Okres realizacji programu",
    DraftElement.IMPLEMENTATION: "Sposób realizacji programu",
    DraftElement.FUNDS: "Wysokość środków planowanych na realizację programu",
    DraftElement.EVALUATION: "Sposób oceny realizacji programu",
    DraftElement.CREATION: (
        "Informacja o sposobie tworzenia programu oraz o przebiegu konsultacji"
    ),
    DraftElement.COMMITTEES: (
        "Tryb powoływania i zasady działania komisji konkursowych do opiniowania ofert "
        "w otwartych konkursach ofert"
    ),
}
#: The statutory template of a new programme's working copy: the chapters above (art. 5a
#: ust. 4) with the formulas the Act itself dictates; ``{in_period}`` is the programme's period
#: as a Polish adverbial (``period_phrase``). Everything else is for the coordinating team to
#: write. ``statutory_text`` fills it in for a programme.
STATUTORY_TEMPLATE: dict[DraftElement, list[str]] = {
    DraftElement.PRINCIPLES: [
        "Współpraca Gminy Miejskiej Kraków z organizacjami pozarządowymi odbywa się na "
        "zasadach pomocniczości, suwerenności stron, partnerstwa, efektywności, uczciwej "
        "konkurencji i jawności.",
    ],
    DraftElement.PERIOD: ["Program realizowany jest {in_period}."],
}


def period_phrase(programme: Programme) -> str:
    """Seeded content, so Polish in every language: "w roku 2028" for a one-year programme,
    "w latach 2029–2033" for a longer one (a single year is never "w latach")."""
    if programme.is_one_year:
        return f"w roku {programme.period}"
    return f"w latach {programme.period}"


def statutory_text(programme: Programme) -> dict[DraftElement, list[str]]:
    """The statutory template's paragraphs, chapter by chapter, as ``programme`` reads them."""
    in_period = period_phrase(programme)
    return {
        element: [text.format(in_period=in_period) for text in paragraphs]
        for element, paragraphs in STATUTORY_TEMPLATE.items()
    }


PARAGRAPH_LIMIT = 10000


def _audit(
    actor: Any, action: DraftsAudit, target: Any, draft: ProgrammeDraft, **data: Any
) -> None:
    audit_record(actor=actor, action=action, target=target, data={"draft": draft.pk, **data})


def _clean_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise Refused(_("A paragraph cannot be empty."))
    if len(text) > PARAGRAPH_LIMIT:
        raise Refused(
            _("A paragraph can have at most %(limit)s characters.") % {"limit": PARAGRAPH_LIMIT}
        )
    return text


@transaction.atomic
def draft_ensure(*, actor: User | None, programme: Programme, title: str = "") -> ProgrammeDraft:
    """The programme's working copy, created with its 12 chapters if it does not exist yet."""
    draft, created = ProgrammeDraft.objects.get_or_create(
        programme=programme, defaults={"title": title or programme.title}
    )
    for element in DraftElement:
        DraftSection.objects.get_or_create(
            draft=draft, element=element, defaults={"title": CHAPTER_TITLES[element]}
        )
    if created:
        _audit(actor, DraftsAudit.PROGRAMME_DRAFT_CREATE, draft, draft)
    return draft


@transaction.atomic
def working_copy_create(
    *, actor: User | None, programme: Programme, from_version: DraftVersion | None = None
) -> ProgrammeDraft:
    """A new programme's working copy: the text (paragraphs, with new uids) of
    ``from_version`` — the previous programme's adopted version — or else the statutory
    template. Links to goals and actions are not copied: they belong to the old meetings."""
    draft = draft_ensure(actor=actor, programme=programme)
    sections = {section.element: section for section in draft.sections.all()}
    if from_version is not None:
        texts = {
            chapter["element"]: [paragraph["text"] for paragraph in chapter["paragraphs"]]
            for chapter in from_version.snapshot["sections"]
        }
        texts[DraftElement.PERIOD] = _period_for(
            texts.get(DraftElement.PERIOD, []), from_version.draft.programme, programme
        )
    else:
        texts = dict(statutory_text(programme))
    for element, paragraphs in texts.items():
        for position, text in enumerate(paragraphs, start=1):
            DraftParagraph.objects.create(
                section=sections[DraftElement(element)], text=text, position=position
            )
    return draft


def _period_for(paragraphs: list[str], old: Programme, new: Programme) -> list[str]:
    """The period chapter (art. 5a ust. 4 pkt 6) of a text carried from ``old``'s adopted
    version into ``new``'s working copy: the old period named in it is the new programme's
    ("w latach 2012–2014" → "w latach 2027–2029"). A chapter that does not name it as the
    template does (reworded: "od 1 stycznia 2012 r. …", "2012-2014") is the statutory sentence
    with the new period: whatever else it said, it said the old programme's years. Copied as
    it was, the new draft stated them."""
    before, after = period_phrase(old), period_phrase(new)
    if any(before in text for text in paragraphs):
        return [text.replace(before, after) for text in paragraphs]
    return list(statutory_text(new)[DraftElement.PERIOD])


@transaction.atomic
def paragraph_add(*, actor: User, section: DraftSection, text: str) -> DraftParagraph:
    """A new paragraph at the end of the chapter, with a new uid."""
    text = _clean_text(text)
    last = section.paragraphs.aggregate(last=Max("position"))["last"]
    paragraph = DraftParagraph.objects.create(section=section, text=text, position=(last or 0) + 1)
    _audit(actor, DraftsAudit.DRAFT_PARAGRAPH_ADD, paragraph, section.draft, uid=str(paragraph.uid))
    return paragraph


def citable_comments(programme: Programme) -> list[Citable]:
    """Comments a change can answer: settled counted comments of the programme's rounds."""
    return answers.source().citable(programme)


@transaction.atomic
def paragraph_edit(
    *,
    actor: User,
    paragraph: DraftParagraph,
    text: str,
    version: int,
    cited: list[int] | None = None,
) -> DraftParagraph:
    """Change the text if nobody else changed it since ``version``; else ``ConflictError``
    and nothing is saved. The uid stays. ``answers`` (when given) replaces the settled
    comments this wording answers (by id); anything else is refused."""
    text = _clean_text(text)
    if cited is not None:
        programme = paragraph.section.draft.programme
        allowed = {comment.pk for comment in citable_comments(programme)}
        if any(pk not in allowed for pk in cited):
            raise Refused(_("Only settled comments of this programme's rounds can be cited."))
    updated = DraftParagraph.objects.filter(pk=paragraph.pk, version=version).update(
        text=text, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise ConflictError(
            _(
                "Someone else changed this paragraph while you were editing it. Your text was "
                "not saved: compare it with the current one and try again."
            )
        )
    paragraph.refresh_from_db()
    if cited is not None:
        answers.source().cite(paragraph, cited)
    draft = paragraph.section.draft
    _audit(
        actor,
        DraftsAudit.DRAFT_PARAGRAPH_EDIT,
        paragraph,
        draft,
        uid=str(paragraph.uid),
        answers=list(cited or []),
    )
    return paragraph


@transaction.atomic
def paragraph_move(*, actor: User, paragraph: DraftParagraph, up: bool) -> None:
    """Swap the paragraph with its neighbour above (``up``) or below; positions are
    renumbered 1..n so that ties left by older edits disappear."""
    siblings = list(
        DraftParagraph.objects.select_for_update()
        .filter(section_id=paragraph.section_id)
        .order_by("position", "pk")
    )
    index = next(i for i, p in enumerate(siblings) if p.pk == paragraph.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            DraftParagraph.objects.filter(pk=sibling.pk).update(position=position)
    _audit(actor, DraftsAudit.DRAFT_PARAGRAPH_MOVE, paragraph, paragraph.section.draft, up=up)


@transaction.atomic
def paragraph_delete(*, actor: User, paragraph: DraftParagraph, version: int) -> None:
    """Remove a paragraph from the working copy (published versions keep it)."""
    draft = paragraph.section.draft
    deleted, _rows = DraftParagraph.objects.filter(pk=paragraph.pk, version=version).delete()
    if not deleted:
        raise ConflictError(_("Someone else changed this paragraph; nothing was removed."))
    _audit(
        actor,
        DraftsAudit.DRAFT_PARAGRAPH_DELETE,
        None,
        draft,
        uid=str(paragraph.uid),
        text=paragraph.text,
    )


def linkable_goals(programme: Programme) -> Any:
    return Goal.objects.filter(
        team__programme=programme, meeting__status=Meeting.Status.PUBLISHED
    ).select_related("team")


def linkable_actions(programme: Programme) -> Any:
    return Action.objects.public().filter(team__programme=programme).select_related("team")


@transaction.atomic
def section_link(
    *, actor: User, section: DraftSection, goals: list[Goal], actions: list[Action]
) -> DraftSection:
    """Link goals (goals chapter) or actions (priority-tasks chapter) from published
    meetings; anything else is refused."""
    programme = section.draft.programme
    if goals and section.element != DraftElement.GOALS:
        raise Refused(_("Goals can be linked only into the goals chapter."))
    if actions and section.element != DraftElement.PRIORITY_TASKS:
        raise Refused(_("Actions can be linked only into the priority tasks chapter."))
    allowed_goals = set(linkable_goals(programme).values_list("pk", flat=True))
    allowed_actions = set(linkable_actions(programme).values_list("pk", flat=True))
    if any(g.pk not in allowed_goals for g in goals) or any(
        a.pk not in allowed_actions for a in actions
    ):
        raise Refused(_("Only goals and actions of published meetings can be linked."))
    if section.element == DraftElement.GOALS:
        section.goals.set(goals)
    if section.element == DraftElement.PRIORITY_TASKS:
        section.actions.set(actions)
    _audit(
        actor,
        DraftsAudit.DRAFT_SECTION_LINK,
        section,
        section.draft,
        goals=[g.pk for g in goals],
        actions=[a.pk for a in actions],
    )
    return section


def draft_snapshot(draft: ProgrammeDraft) -> dict[str, Any]:
    """The working copy as plain data (what a version freezes): chapters in statutory order,
    paragraphs numbered § 1, § 2 … from the first chapter on (the preamble is unnumbered),
    and the linked goals and actions as they read now (with their meeting's date, which tells
    apart the items of one team's several meetings)."""
    sections = (
        draft.sections.order_by("element")
        .prefetch_related(
            "paragraphs",
            # Joined, not prefetched: the working copy's PDF stamp counts these queries.
            Prefetch("goals", queryset=Goal.objects.select_related("meeting")),
            "goals__team",
            Prefetch("actions", queryset=Action.objects.select_related("meeting")),
            "actions__team",
        )
        .all()
    )
    cited = answers.source().cited(
        paragraph.pk for section in sections for paragraph in section.paragraphs.all()
    )
    number = 0
    out = []
    for section in sections:
        paragraphs = []
        for paragraph in sorted(section.paragraphs.all(), key=lambda p: (p.position, p.pk)):
            entry: dict[str, Any] = {
                "uid": str(paragraph.uid),
                "text": paragraph.text,
                "answers": [
                    {
                        "id": comment.pk,
                        "number": comment.number,
                        "round": comment.round_id,
                        "round_title": comment.round_title,
                    }
                    for comment in sorted(cited.get(paragraph.pk, []), key=lambda c: c.pk)
                ],
            }
            if section.element != DraftElement.PREAMBLE:
                number += 1
                entry["number"] = number
            paragraphs.append(entry)
        out.append(
            {
                "element": section.element,
                "numeral": section.numeral,
                "title": section.title,
                "paragraphs": paragraphs,
                "goals": [
                    {
                        "key": f"goal:{goal.pk}",
                        "team": goal.team.name,
                        "number": goal.number,
                        "text": goal.title,
                        "meeting_date": goal.meeting.date.isoformat() if goal.meeting else None,
                    }
                    for goal in sorted(section.goals.all(), key=lambda g: (g.team_id, g.number))
                ],
                "actions": [
                    {
                        "key": f"action:{action.pk}",
                        "team": action.team.name,
                        "number": action.number,
                        "text": action.text,
                        "meeting_date": action.meeting.date.isoformat(),
                    }
                    for action in sorted(
                        section.actions.all(), key=lambda a: (a.team_id, a.meeting_id, a.number)
                    )
                ],
            }
        )
    programme = draft.programme
    return {
        "title": draft.title,
        "period": programme.period,  # "2028" for one year, "2029–2033" for more
        "sections": out,
    }


def draft_version_next_number(draft: ProgrammeDraft) -> int:
    """The number the next published version of ``draft`` gets."""
    return (draft.versions.aggregate(last=Max("number"))["last"] or 0) + 1


@transaction.atomic
def draft_version_publish(
    *, actor: User | None, draft: ProgrammeDraft, note: str = "", number: int | None = None
) -> DraftVersion:
    """Freeze the working copy into the next numbered version, dated now. ``number``, when
    given, is the number the person confirmed: if that version was published meanwhile (a
    second tab, a double click), ``ConflictError`` and nothing is published."""
    ProgrammeDraft.objects.select_for_update().filter(pk=draft.pk).first()
    next_number = draft_version_next_number(draft)
    if number is not None and number != next_number:
        raise ConflictError(
            _(
                "Version %(number)s has already been published, by you in another tab or by "
                "someone else; nothing was published again. Look at it, and publish the next "
                "version only if the working copy has changed since."
            )
            % {"number": number}
        )
    version = DraftVersion.objects.create(
        draft=draft,
        number=next_number,
        published_by=actor,
        note=note.strip(),
        snapshot=draft_snapshot(draft),
    )
    version_publishing.send(sender=DraftVersion, version=version)
    _audit(actor, DraftsAudit.DRAFT_VERSION_PUBLISH, version, draft, number=version.number)
    _published(version)
    return version


def _published(version: DraftVersion) -> None:
    """Tell whoever prints the version (documents, which freezes it and renders its PDF in
    the worker) once the version is committed. Robust: a receiver that fails leaves a log
    line, not a failed publication."""
    version_id = version.pk
    transaction.on_commit(
        lambda: version_published.send(sender=DraftVersion, version_id=version_id), robust=True
    )


@transaction.atomic
def draft_version_adopt(
    *,
    actor: User,
    version: DraftVersion,
    number: str,
    date: dt.date,
    url: str,
    opinion: str = "",
) -> DraftVersion:
    """Record the council's resolution that adopted this version: its number, date, the link
    to its publication and, when given, the opinion of the public benefit council (art. 5a
    ust. 2a), printed as an annex of the adopted programme. A programme is adopted once: a
    second adoption, of this or another version (also by a coordinator at the same moment),
    is refused, as is a resolution dated before the version was published or in the future.
    Nothing is stored on refusal. The adopted programme is frozen once this commits.

    Rounds of the programme not settled yet do not stop it: the council's resolution is a fact
    to record. The adoption page names them first (``answers.source().unfinished``), and the
    audit entry keeps which they were; likewise the accepted comments no paragraph of the
    version cites (``answers.not_written``)."""
    ProgrammeDraft.objects.select_for_update().filter(pk=version.draft_id).first()
    if DraftVersion.objects.filter(draft_id=version.draft_id, adopted=True).exists():
        raise ConflictError(_("This programme is already adopted; nothing was changed."))
    if date < timezone.localtime(version.published_at).date():
        raise Refused(
            _("The resolution cannot be dated before version %(number)s was published (%(date)s).")
            % {
                "number": version.number,
                "date": prose_date(version.published_at),
            }
        )
    if date > timezone.localdate():
        raise Refused(_("The resolution date cannot be in the future."))
    updated = DraftVersion.objects.filter(pk=version.pk, adopted=False).update(
        adopted=True,
        resolution_number=number.strip(),
        resolution_date=date,
        resolution_url=url.strip(),
        krdpp_opinion=opinion.strip(),
        adopted_at=timezone.now(),
        adopted_by=actor,
    )
    if not updated:
        raise ConflictError(_("This programme is already adopted; nothing was changed."))
    version.refresh_from_db()
    _audit(
        actor,
        DraftsAudit.DRAFT_VERSION_ADOPT,
        version,
        version.draft,
        number=version.number,
        resolution=version.resolution_number,
        resolution_date=date.isoformat(),
        url=version.resolution_url,
        opinion=bool(version.krdpp_opinion),
        unfinished_rounds=[r.pk for r in answers.source().unfinished(version.draft.programme)],
        not_written=[c.pk for c in answers.not_written(version)],
    )
    version_id = version.pk
    transaction.on_commit(
        lambda: version_adopted.send(sender=DraftVersion, version_id=version_id), robust=True
    )
    return version
