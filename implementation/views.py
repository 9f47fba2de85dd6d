"""Pages of the follow-up: the programme's implementation (public), an action's page (public)
with its forms for officials and the coordinating team, the year and proposal forms, the
decision on a proposal. Every write checks the permission here and again in its service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from actions.models import Action
from core.confirm import confirm_page, is_confirmed
from core.errors import AlreadyDecided, ConflictError, Refused
from core.kept_text import typed_texts
from teams.http import AuthenticatedRequest
from teams.models import Programme, Team

from . import access, permissions, rules, selectors, services
from .forms import (
    DecisionForm,
    FiguresForm,
    IndicatorForm,
    PlanForm,
    ProposalForm,
    PublishReasonForm,
    YearForm,
)
from .models import ActionPlan, FigureKind, ProgrammeFigure, Proposal


def _plan(action: Action) -> ActionPlan | None:
    return ActionPlan.objects.filter(action=action).first()


def _action_url(action: Action) -> str:
    return reverse("implementation:action", args=[action.pk])


def _overview(request: HttpRequest, programme: Programme, team: Team | None = None) -> HttpResponse:
    """Every followed action of the programme (or of one team) with its status each year."""
    actions = selectors.followed_actions(programme)
    if team is not None:
        actions = [action for action in actions if action.team_id == team.pk]
    plans = {
        plan.action_id: plan
        for plan in ActionPlan.objects.filter(action__in=actions).prefetch_related("years")
    }
    statuses = [selectors.year_statuses(plans.get(action.pk), programme) for action in actions]
    rows = [
        {"action": action, "plan": plans.get(action.pk), "years": years}
        for action, years in zip(actions, statuses, strict=True)
    ]
    return render(
        request,
        "implementation/programme.html",
        {
            "programme": programme,
            "team": team,
            "adopted": selectors.adopted_version(programme),
            "rows": rows,
            "years": selectors.years(programme),
            "can_enter": permissions.can_enter(request.user),
            "can_decide": permissions.can_decide(request.user),
            "status_counts": selectors.status_counts(statuses, programme),
            "figure_rows": selectors.figure_rows(
                programme, published_only=not permissions.can_enter(request.user)
            ),
            "published_years": selectors.published_years(programme),
            "pending": Proposal.objects.filter(
                plan__programme=programme, state=Proposal.State.PENDING
            ).count(),
        },
    )


@require_safe
def programme_implementation(request: HttpRequest, pk: int) -> HttpResponse:
    return _overview(request, access.get_programme(pk))


@require_safe
def team_implementation(request: HttpRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(Team.objects.select_related("programme"), slug=slug)
    return _overview(request, team.programme, team)


@require_safe
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action, programme = access.get_followed_action(pk)
    plan = _plan(action)
    can_decide = permissions.can_decide(request.user)
    proposals = list(plan.proposals.select_related("organisation")) if plan and can_decide else []
    # A representative follows what became of their organisation's proposals (the state and
    # a rejection's reason); the coordinating team sees them all above, with its forms.
    own_proposals = (
        list(
            plan.proposals.filter(
                organisation__in=permissions.proposing_organisations(request.user)
            ).select_related("organisation")
        )
        if plan and not can_decide
        else []
    )
    indicators = list(plan.indicators.all()) if plan else []
    return render(
        request,
        "implementation/action.html",
        {
            "action": action,
            "programme": programme,
            "plan": plan,
            "partners": list(plan.partners.order_by("name")) if plan else [],
            "indicator_rows": selectors.indicator_rows(plan, programme),
            "years": selectors.year_statuses(plan, programme),
            "published_years": selectors.published_years(programme),
            "can_enter": permissions.can_enter(request.user),
            "can_propose": permissions.can_propose(request.user),
            "can_decide": can_decide,
            "proposals": [
                {"proposal": proposal, "form": DecisionForm(auto_id=f"id_%s_{proposal.pk}")}
                for proposal in proposals
            ],
            "own_proposals": own_proposals,
            "indicator_names": {str(indicator.pk): str(indicator) for indicator in indicators},
            # A proposal's amounts read as the indicators' own tables show them ("11 500,50").
            "money_indicators": {str(i.pk) for i in indicators if i.is_money},
        },
    )


def _must_enter(request: AuthenticatedRequest) -> None:
    if not permissions.can_enter(request.user):
        raise PermissionDenied(
            _("Only city officials and the coordinating team enter these figures.")
        )


def _form_page(
    request: HttpRequest, action: Action, heading: str, form: object, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "implementation/form.html",
        {"action": action, "heading": heading, "form": form},
        status=status,
    )


def _action_form(
    request: HttpRequest,
    action: Action,
    heading: str,
    form: Any,
    save: Callable[[], object],
    done: str,
) -> HttpResponse:
    """An action's form page: a valid POST calls ``save`` (its refusal is shown on the form,
    nothing stored) and goes back to the action with ``done``; anything else shows the form,
    400 after a POST."""
    if request.method == "POST":
        if form.is_valid():
            try:
                save()
            except Refused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, done)
                return redirect(_action_url(action))
        return _form_page(request, action, heading, form, status=400)
    return _form_page(request, action, heading, form)


@login_required
def plan_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action, _programme = access.get_followed_action(pk)
    _must_enter(request)
    plan = _plan(action)
    initial = (
        {"responsible_unit": plan.responsible_unit, "partners": list(plan.partners.all())}
        if plan
        else {}
    )
    form = PlanForm(request.POST or None, initial=initial)
    return _action_form(
        request,
        action,
        _("Responsible unit and partners"),
        form,
        lambda: services.plan_edit(
            actor=request.user,
            action=action,
            responsible_unit=form.cleaned_data["responsible_unit"] or "",
            partners=form.cleaned_data["partners"],
        ),
        _("Saved."),
    )


@login_required
def indicator_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action, programme = access.get_followed_action(pk)
    _must_enter(request)
    form = IndicatorForm(request.POST or None, programme=programme)
    return _action_form(
        request,
        action,
        _("Add an indicator"),
        form,
        lambda: services.indicator_add(
            actor=request.user,
            action=action,
            name=form.cleaned_data["name"],
            unit=form.cleaned_data["unit"],
            planned=form.planned(),
        ),
        _("The indicator is added."),
    )


@login_required
def indicator_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    indicator = access.get_indicator(pk)
    action, programme = access.get_followed_action(indicator.plan.action_id)
    _must_enter(request)
    initial: dict[str, object] = {"name": indicator.name, "unit": indicator.unit}
    for year, planned in indicator.values.values_list("year", "planned"):
        initial[f"planned_{year}"] = planned
    form = IndicatorForm(
        request.POST or None, programme=programme, indicator=indicator, initial=initial
    )
    return _action_form(
        request,
        action,
        _("Correct the indicator"),
        form,
        lambda: services.indicator_edit(
            actor=request.user,
            indicator=indicator,
            name=form.cleaned_data["name"],
            unit=form.cleaned_data["unit"],
            planned=form.planned(),
        ),
        _("Saved."),
    )


@login_required
def action_year(request: AuthenticatedRequest, pk: int, year: int) -> HttpResponse:
    """The year's status, comment and achieved values (officials and the coordinating team)."""
    action, programme = access.get_followed_action(pk)
    access.get_year(programme, year)
    _must_enter(request)
    if closed := _closed(request, programme, year):
        return closed
    plan = _plan(action)
    entry = selectors.status_of(plan, year)
    initial: dict[str, object] = {}
    if entry is not None:
        initial = {"status": entry.status, "comment": entry.comment}
    for row in selectors.indicator_rows(plan, programme):
        cell = row.cell(year)
        initial[f"achieved_{row.indicator.pk}"] = cell.achieved
        initial[f"source_{row.indicator.pk}"] = cell.source
    form = YearForm(request.POST or None, plan=plan, year=year, initial=initial)
    return _action_form(
        request,
        action,
        _("Implementation in %(year)s") % {"year": year},
        form,
        lambda: services.action_year_save(
            actor=request.user,
            action=action,
            year=year,
            status=form.cleaned_data["status"],
            comment=form.cleaned_data["comment"],
            achieved=form.achieved(),
        ),
        _("Saved."),
    )


@login_required
def proposal_add(request: AuthenticatedRequest, pk: int, year: int) -> HttpResponse:
    """A representative of an organisation proposes the year's status and values."""
    action, programme = access.get_followed_action(pk)
    access.get_year(programme, year)
    organisations = permissions.proposing_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied(_("Only representatives of verified organisations propose."))
    if closed := _closed(request, programme, year):
        return closed
    form = ProposalForm(
        request.POST or None, plan=_plan(action), year=year, organisations=organisations
    )
    return _action_form(
        request,
        action,
        _("Propose an update for %(year)s") % {"year": year},
        form,
        lambda: services.proposal_submit(
            actor=request.user,
            action=action,
            organisation=form.cleaned_data["organisation"],
            year=year,
            status=form.cleaned_data["status"],
            comment=form.cleaned_data["comment"],
            achieved=form.achieved(),
        ),
        _("Your proposal is sent to the coordinating team for a decision."),
    )


@require_POST
@login_required
def proposal_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal = access.get_proposal(pk)
    if not permissions.can_decide(request.user):
        raise PermissionDenied(_("Only the coordinating team decides on proposed updates."))
    action = proposal.plan.action
    form = DecisionForm(request.POST)
    heading = _("Decide on the proposed update")
    if not form.is_valid():
        return _form_page(request, action, heading, form, status=400)
    try:
        services.proposal_decide(
            actor=request.user,
            proposal=proposal,
            accept=form.cleaned_data["decision"] == "accept",
            reason=form.cleaned_data["reason"],
        )
    except AlreadyDecided as conflict:
        form.add_error(None, str(conflict))
        return _form_page(request, action, heading, form, status=409)
    except Refused as refusal:
        form.add_error(None, str(refusal))
        return _form_page(request, action, heading, form, status=400)
    messages.success(request, _("The decision is saved."))
    return redirect(_action_url(action))


@login_required
def figures(request: AuthenticatedRequest, pk: int, year: int) -> HttpResponse:
    """The programme's evaluation figures of a year (officials and the coordinating team)."""
    programme = access.get_programme(pk)
    access.get_year(programme, year)
    _must_enter(request)
    try:
        # The rule the service refuses by: a published year is said so at once, with no form.
        rules.check_open(programme, year)
    except Refused as refusal:
        return render(
            request,
            "implementation/figures_form.html",
            {
                "programme": programme,
                "year": year,
                "closed": str(refusal),
                "entered": [
                    (row.label, value, source)
                    for row in selectors.figure_rows(programme)
                    for cell_year, value, source in row.cells
                    if cell_year == year and value is not None
                ],
                "kept": typed_texts(request),
            },
            status=_frozen_status(request),
        )
    existing = list(ProgrammeFigure.objects.filter(programme=programme, year=year))
    others = [figure for figure in existing if figure.kind == FigureKind.OTHER]
    initial: dict[str, object] = {}
    for figure in existing:
        key = f"other_{figure.pk}" if figure.kind == FigureKind.OTHER else figure.kind
        initial[f"value_{key}"] = figure.value
        initial[f"source_{key}"] = figure.source
    form = FiguresForm(request.POST or None, others=others, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.figures_save(
                    actor=request.user,
                    programme=programme,
                    year=year,
                    figures=[services.FigureEntry(*entry) for entry in form.entries()],
                )
            except Refused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("Saved."))
                return redirect("implementation:programme", pk=programme.pk)
    return render(
        request,
        "implementation/figures_form.html",
        {"programme": programme, "year": year, "form": form},
        status=status,
    )


@login_required
def report_publish(request: AuthenticatedRequest, pk: int, year: int) -> HttpResponse:
    """Publishing the year's implementation report asks first (core.confirm); the POST from
    the confirmation page publishes. A year without evaluation figures asks for the reason
    (``services.ReportReasonRequired``)."""
    programme = access.get_programme(pk)
    access.get_year(programme, year)
    if not permissions.can_decide(request.user):
        raise PermissionDenied(_("Only the coordinating team publishes the implementation report."))
    report_url = reverse("implementation:report", args=[programme.pk, year])
    form = PublishReasonForm(request.POST or None)
    status = 200
    if request.method == "POST" and is_confirmed(request):
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            services.report_publish(
                actor=request.user, programme=programme, year=year, reason=reason
            )
        except services.ReportReasonRequired as refusal:
            if form.is_valid():
                form.add_error("reason", str(refusal))
            status = 400
        except ConflictError as conflict:
            return _refused_page(request, programme, year, str(conflict), status=409)
        except Refused as refusal:
            return _refused_page(request, programme, year, str(refusal), status=400)
        else:
            messages.success(request, _("The implementation report is published."))
            return redirect(report_url)
    warning = services.can_publish_report(programme, year)
    without_figures = not warning and not selectors.has_figures(programme, year)
    if without_figures:
        warning = _(
            "No evaluation figures are entered for %(year)s (art. 5a ust. 4 pkt 9: the "
            "programme's own measures of its implementation). Enter them first, or publish "
            "the report without them with the reason."
        ) % {"year": year}
    return confirm_page(
        request,
        title=_("Publish the implementation report on %(year)s") % {"year": year},
        subject=programme.title,
        consequences=[
            _(
                "The report is frozen as it reads now: its page, PDF, text documents and "
                "spreadsheets."
            ),
            _("The year's figures cannot change any more; a correction is a dated erratum."),
        ],
        audience=None,
        action_url=reverse("implementation:report-publish", args=[programme.pk, year]),
        cancel_url=report_url,
        submit_label=_("Yes, publish the implementation report"),
        form=form if without_figures else None,
        warning=warning,
        status=status,
    )


def _frozen_status(request: HttpRequest) -> int:
    """A published year's page: 200 to a look at it, 400 to a change sent to it."""
    return 400 if request.method == "POST" else 200


def _closed(request: HttpRequest, programme: Programme, year: int) -> HttpResponse | None:
    """A year whose report is published offers no form (``rules.check_open``, the rule the
    services refuse by): its page says so at once, with the way to the report; None else."""
    try:
        rules.check_open(programme, year)
    except Refused as refusal:
        return _refused_page(request, programme, year, str(refusal), status=_frozen_status(request))
    return None


def _refused_page(
    request: HttpRequest, programme: Programme, year: int, message: str, *, status: int
) -> HttpResponse:
    # A form sent once the year was frozen: what was typed is shown back to copy (an erratum
    # may need it), as every refused form does (core.kept_text).
    return render(
        request,
        "implementation/refused.html",
        {
            "programme": programme,
            "year": year,
            "message": message,
            "kept": typed_texts(request),
        },
        status=status,
    )
