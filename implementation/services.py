"""The only writers of the follow-up: each one transaction with its audit entry; each checks
the permission and the rules (implementation.rules) again, so nothing a page let through is
stored against them. Nothing is stored on refusal (``core.errors.Refused``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import Action
from core.audit import audit_record
from core.errors import AlreadyDecided, ConflictError, Refused
from teams.models import Organisation, Programme, User

from . import notices, permissions, rules, selectors
from .audit import ImplementationAudit
from .models import (
    ActionPlan,
    ActionYear,
    Indicator,
    IndicatorValue,
    ProgrammeFigure,
    Proposal,
    ReportPublication,
)
from .signals import implementation_report_published


@dataclass(frozen=True)
class FigureEntry:
    """One evaluation figure as entered: ``value`` None removes it."""

    kind: str
    name: str
    value: Decimal | None
    source: str


#: Achieved values by indicator pk: (value or None to clear it, its source).
Achieved = Mapping[int, tuple[Decimal | None, str]]


def _programme_of(action: Action) -> Programme:
    programme = action.team.programme
    if action.pk not in selectors.followed_action_ids(programme):
        raise Refused(_("This action is not an action of an adopted programme."))
    return programme


def _must_enter(actor: User) -> None:
    if not permissions.can_enter(actor):
        raise Refused(_("Only city officials and the coordinating team enter these figures."))


def plan_for(action: Action) -> ActionPlan:
    plan, _created = ActionPlan.objects.get_or_create(
        action=action, defaults={"programme": _programme_of(action)}
    )
    return plan


@transaction.atomic
def plan_edit(
    *, actor: User, action: Action, responsible_unit: str, partners: Iterable[Organisation]
) -> ActionPlan:
    """The responsible city unit and the partner organisations of a followed action."""
    _must_enter(actor)
    plan = plan_for(action)
    plan.responsible_unit = responsible_unit.strip()
    plan.save(update_fields=["responsible_unit", "updated_at"])
    partners = list(partners)
    plan.partners.set(partners)
    audit_record(
        actor=actor,
        action=ImplementationAudit.ACTION_PLAN_EDIT,
        target=plan,
        data={"unit": plan.responsible_unit, "partners": [p.pk for p in partners]},
    )
    return plan


def _check_indicator(
    plan: ActionPlan,
    *,
    name: str,
    unit: str,
    planned: Mapping[int, Decimal | None],
    indicator: Indicator | None = None,
) -> None:
    rules.check_unit(unit)
    if not name.strip():
        raise Refused(_("An indicator needs its name."))
    same_name = plan.indicators.filter(name=name.strip())
    if indicator is not None:
        same_name = same_name.exclude(pk=indicator.pk)
    if same_name.exists():
        raise Refused(_("This action already has an indicator of this name."))
    before = dict(indicator.values.values_list("year", "planned")) if indicator is not None else {}
    for year, value in planned.items():
        rules.check_value(value)
        rules.check_year(plan.programme, year)
        if value != before.get(year):
            rules.check_open(plan.programme, year)


@transaction.atomic
def indicator_add(
    *, actor: User, action: Action, name: str, unit: str, planned: Mapping[int, Decimal | None]
) -> Indicator:
    """An indicator with its planned value in each year given (a year already reported is
    frozen)."""
    _must_enter(actor)
    plan = plan_for(action)
    _check_indicator(plan, name=name, unit=unit, planned=planned)
    indicator = Indicator.objects.create(plan=plan, name=name.strip(), unit=unit.strip())
    for year, value in planned.items():
        if value is not None:
            IndicatorValue.objects.create(indicator=indicator, year=year, planned=value)
    audit_record(
        actor=actor,
        action=ImplementationAudit.INDICATOR_ADD,
        target=indicator,
        data={"unit": indicator.unit, "planned": {str(y): str(v) for y, v in planned.items()}},
    )
    return indicator


def _indicator_state(indicator: Indicator) -> dict[str, object]:
    return {
        "name": indicator.name,
        "unit": indicator.unit,
        "planned": {
            str(year): "" if value is None else str(value)
            for year, value in indicator.values.values_list("year", "planned")
        },
    }


@transaction.atomic
def indicator_edit(
    *,
    actor: User,
    indicator: Indicator,
    name: str,
    unit: str,
    planned: Mapping[int, Decimal | None],
) -> Indicator:
    """Correct an indicator's name, unit or planned values; a planned value of a year whose
    report is published stays as it was, and so do the name and unit of an indicator with a
    value in such a year (``rules.check_indicator_identity``; refused). The audit entry keeps
    the state before."""
    _must_enter(actor)
    indicator = (
        Indicator.objects.select_for_update().select_related("plan__programme").get(pk=indicator.pk)
    )
    _check_indicator(indicator.plan, name=name, unit=unit, planned=planned, indicator=indicator)
    rules.check_indicator_identity(indicator, name=name, unit=unit)
    before = _indicator_state(indicator)
    indicator.name, indicator.unit = name.strip(), unit.strip()
    indicator.save(update_fields=["name", "unit"])
    for year, value in planned.items():
        row = indicator.values.filter(year=year).first()
        if row is not None:
            row.planned = value
            row.save(update_fields=["planned"])
        elif value is not None:
            IndicatorValue.objects.create(indicator=indicator, year=year, planned=value)
    audit_record(
        actor=actor,
        action=ImplementationAudit.INDICATOR_EDIT,
        target=indicator,
        data={"before": before, "after": _indicator_state(indicator)},
    )
    return indicator


def _apply_year(
    plan: ActionPlan, *, year: int, status: str, comment: str, achieved: Achieved
) -> tuple[ActionYear, dict[str, list[str]]]:
    rules.check_open(plan.programme, year)
    indicators = {indicator.pk: indicator for indicator in plan.indicators.all()}
    for pk, (value, source) in achieved.items():
        if pk not in indicators:
            raise Refused(_("This indicator is not one of the action's."))
        rules.check_achieved(value, source)
    entry, _created = ActionYear.objects.update_or_create(
        plan=plan, year=year, defaults={"status": status, "comment": comment.strip()}
    )
    recorded: dict[str, list[str]] = {}
    for pk, (value, source) in achieved.items():
        row, _made = IndicatorValue.objects.get_or_create(indicator_id=pk, year=year)
        row.achieved = value
        row.source = source.strip() if value is not None else ""
        row.save(update_fields=["achieved", "source"])
        recorded[str(pk)] = ["" if value is None else str(value), row.source]
    return entry, recorded


@transaction.atomic
def action_year_save(
    *,
    actor: User,
    action: Action,
    year: int,
    status: str,
    comment: str,
    achieved: Achieved,
) -> ActionYear:
    """The action's status in ``year``, with a comment and the achieved values (each with
    its source)."""
    _must_enter(actor)
    plan = plan_for(action)
    entry, recorded = _apply_year(
        plan, year=year, status=status, comment=comment, achieved=achieved
    )
    audit_record(
        actor=actor,
        action=ImplementationAudit.ACTION_YEAR_SAVE,
        target=entry,
        data={"year": year, "status": status, "comment": entry.comment, "achieved": recorded},
    )
    return entry


@transaction.atomic
def proposal_submit(
    *,
    actor: User,
    action: Action,
    organisation: Organisation,
    year: int,
    status: str,
    comment: str,
    achieved: Achieved,
) -> Proposal:
    """An organisation's representative proposes the year's status and values; nothing is
    applied until the coordinating team accepts it."""
    if not permissions.proposing_organisations(actor).filter(pk=organisation.pk).exists():
        raise Refused(_("You can propose updates only for an organisation you represent."))
    plan = plan_for(action)
    rules.check_open(plan.programme, year)
    indicators = set(plan.indicators.values_list("pk", flat=True))
    for pk, (value, source) in achieved.items():
        if pk not in indicators:
            raise Refused(_("This indicator is not one of the action's."))
        rules.check_achieved(value, source)
    proposal = Proposal.objects.create(
        plan=plan,
        year=year,
        status=status,
        comment=comment.strip(),
        values=[
            {"indicator": pk, "achieved": str(value), "source": source.strip()}
            for pk, (value, source) in achieved.items()
            if value is not None
        ],
        organisation=organisation,
        author=actor,
    )
    audit_record(
        actor=actor,
        action=ImplementationAudit.PROPOSAL_SUBMIT,
        target=proposal,
        data={"year": year, "status": status, "organisation": organisation.pk},
    )
    return proposal


@transaction.atomic
def proposal_decide(*, actor: User, proposal: Proposal, accept: bool, reason: str) -> Proposal:
    """Accept (the proposal is applied as the year's entry) or reject with a reason; decided
    once (``AlreadyDecided`` for the second coordinator). The proposer's e-mail
    (``proposal_decided``) is queued in the same transaction."""
    if not permissions.can_decide(actor):
        raise Refused(_("Only the coordinating team decides on proposed updates."))
    reason = reason.strip()
    rules.check_decision(accept=accept, reason=reason)
    proposal = (
        Proposal.objects.select_for_update().select_related("plan__programme").get(pk=proposal.pk)
    )
    if proposal.state != Proposal.State.PENDING:
        raise AlreadyDecided(_("This proposal was already decided; nothing was changed."))
    if accept:
        _apply_year(
            proposal.plan,
            year=proposal.year,
            status=proposal.status,
            comment=proposal.comment,
            achieved={
                int(row["indicator"]): (Decimal(row["achieved"]), row["source"])
                for row in proposal.values
            },
        )
    proposal.state = Proposal.State.ACCEPTED if accept else Proposal.State.REJECTED
    proposal.reason = reason
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["state", "reason", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=ImplementationAudit.PROPOSAL_ACCEPT
        if accept
        else ImplementationAudit.PROPOSAL_REJECT,
        target=proposal,
        reason=reason,
        data={"year": proposal.year, "organisation": proposal.organisation_id},
    )
    notices.notify_proposal_decided(proposal)
    return proposal


@transaction.atomic
def figures_save(
    *, actor: User, programme: Programme, year: int, figures: Iterable[FigureEntry]
) -> list[ProgrammeFigure]:
    """The programme's evaluation figures of ``year``, each with its source; an emptied
    figure is removed. All or nothing."""
    _must_enter(actor)
    rules.check_open(programme, year)
    figures = list(figures)
    for entry in figures:
        rules.check_figure(kind=entry.kind, name=entry.name, value=entry.value, source=entry.source)
    saved = []
    for entry in figures:
        name = entry.name.strip()
        if entry.value is None:
            ProgrammeFigure.objects.filter(
                programme=programme, year=year, kind=entry.kind, name=name
            ).delete()
            continue
        figure, _created = ProgrammeFigure.objects.update_or_create(
            programme=programme,
            year=year,
            kind=entry.kind,
            name=name,
            defaults={"value": entry.value, "source": entry.source.strip()},
        )
        saved.append(figure)
    audit_record(
        actor=actor,
        action=ImplementationAudit.FIGURE_SAVE,
        target=programme,
        data={
            "year": year,
            "figures": [
                [
                    entry.kind,
                    entry.name,
                    "" if entry.value is None else str(entry.value),
                    entry.source,
                ]
                for entry in figures
            ],
        },
    )
    return saved


def can_publish_report(programme: Programme, year: int) -> str:
    """Why the report on ``year`` cannot be published now ("" when it can): the programme
    must be adopted, the year one of its years and over, the report not published yet."""
    if selectors.adopted_version(programme) is None:
        return _("The programme is not adopted; there is nothing to report on.")
    if year >= timezone.localdate().year:
        return _("The report on %(year)s is published once the year is over.") % {"year": year}
    return ""


class ReportReasonRequired(Refused):
    """Publishing a report without any evaluation figures needs a reason
    (``selectors.has_figures``)."""


@transaction.atomic
def report_publish(
    *, actor: User, programme: Programme, year: int, reason: str = ""
) -> ReportPublication:
    """Publish the implementation report on ``year`` (art. 5a ust. 3): once; from then on the
    year's figures are frozen (``rules.check_open``). documents freezes the report itself
    after the commit (``implementation_report_published``). A year without any evaluation
    figures is published only with a ``reason`` (else ReportReasonRequired), which is stored,
    audited and printed in the report where the figures would be."""
    if not permissions.can_decide(actor):
        raise Refused(_("Only the coordinating team publishes the implementation report."))
    rules.check_year(programme, year)
    if ReportPublication.objects.filter(programme=programme, year=year).exists():
        raise ConflictError(
            _("The report on %(year)s is already published; nothing was changed.") % {"year": year}
        )
    refusal = can_publish_report(programme, year)
    if refusal:
        raise Refused(refusal)
    # A reason is kept only where it is asked for: a year with figures has none to give.
    has_figures = selectors.has_figures(programme, year)
    reason = "" if has_figures else reason.strip()
    if not has_figures and not reason:
        raise ReportReasonRequired(
            _(
                "No evaluation figures are entered for %(year)s; give the reason for "
                "publishing the report without them."
            )
            % {"year": year}
        )
    try:
        with transaction.atomic():
            published = ReportPublication.objects.create(
                programme=programme,
                year=year,
                published_at=timezone.now(),
                published_by=actor,
                no_figures_reason=reason,
            )
    except IntegrityError as error:  # a second coordinator at the same moment
        raise ConflictError(
            _("The report on %(year)s is already published; nothing was changed.") % {"year": year}
        ) from error
    audit_record(
        actor=actor,
        action=ImplementationAudit.REPORT_PUBLISH,
        target=programme,
        data={"year": year, **({"no_figures_reason": reason} if reason else {})},
    )
    programme_id, actor_id = programme.pk, actor.pk
    transaction.on_commit(
        lambda: implementation_report_published.send(
            sender=ReportPublication, programme_id=programme_id, year=year, actor_id=actor_id
        ),
        robust=True,
    )
    return published
