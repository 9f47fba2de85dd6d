"""Who may see and change the programme draft, and the access helpers (404 for missing and
forbidden alike). Published versions are public; the working copy, and everything about it,
only the coordinating team sees."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from teams.models import User
from teams.permissions import AnyUser, is_active_person, is_coordinator

from .models import DraftParagraph, DraftSection, DraftVersion, ProgrammeDraft


def can_edit_draft(user: AnyUser) -> bool:
    return is_coordinator(user)


def editor(request: HttpRequest) -> User:
    """The coordinator at work: every editing view has already asked an access helper below,
    which answers 404 to anyone else."""
    user = request.user
    if not is_active_person(user):
        raise Http404
    return user


def get_draft_to_edit(user: AnyUser, pk: int) -> ProgrammeDraft:
    draft = ProgrammeDraft.objects.select_related("programme").filter(pk=pk).first()
    if draft is None or not can_edit_draft(user):
        raise Http404("No such draft.")
    return draft


def get_paragraph_to_edit(user: AnyUser, pk: int) -> DraftParagraph:
    paragraph = DraftParagraph.objects.select_related("section__draft").filter(pk=pk).first()
    if paragraph is None or not can_edit_draft(user):
        raise Http404("No such paragraph.")
    return paragraph


def get_section_to_edit(user: AnyUser, pk: int) -> DraftSection:
    section = DraftSection.objects.select_related("draft__programme").filter(pk=pk).first()
    if section is None or not can_edit_draft(user):
        raise Http404("No such chapter.")
    return section


def get_version(pk: int) -> DraftVersion:
    """Published versions are public."""
    version = DraftVersion.objects.select_related("draft__programme").filter(pk=pk).first()
    if version is None:
        raise Http404("No such version.")
    return version
