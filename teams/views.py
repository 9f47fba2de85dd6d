"""Views for teams, people, organisations and roles. Meeting workspace views: meeting_views.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from core.confirm import confirm_page, is_confirmed
from core.dates import prose_date
from core.errors import ConflictError, Refused
from core.http import HtmxRequest

from . import access, cycle, notices, permissions, selectors, services
from . import calendar as ics
from .access import get_meeting_for_user
from .forms import (
    DecisionForm,
    DeleteAccountForm,
    GlobalRolesForm,
    ModeratorAppointForm,
    OrganisationForm,
    OrganisationSearchForm,
    PeopleSearchForm,
    ProfileForm,
    ProgrammeForm,
    ProgrammeTitleForm,
    TeamForm,
)
from .http import AuthenticatedRequest
from .models import (
    VERIFIABLE,
    Membership,
    Organisation,
    Programme,
    Representation,
    Team,
    User,
    normalise_number,
)
from .personal_data import personal_data_export


def _next_or(request: HttpRequest, default: str) -> str:
    """Where to go after a POST: a same-site ``next`` the form sent, or ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _after_decision(request: HtmxRequest, *, level: int, text: str, default: str) -> HttpResponse:
    """POST-redirect-GET with the outcome as a message; for htmx, the decided request's list
    item is replaced by the outcome, so the queue keeps its place on the page."""
    if request.htmx and level != messages.ERROR:
        return render(
            request,
            "teams/partials/decision_outcome.html",
            {"text": text, "level": "success" if level == messages.SUCCESS else "warning"},
        )
    messages.add_message(request, level, text)
    target = _next_or(request, default)
    if request.htmx:
        return HttpResponseClientRedirect(target)
    return redirect(target)


def _form_errors(form: DecisionForm) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


# --- Teams (public) -------------------------------------------------------------------------


def team_list(request: HttpRequest) -> HttpResponse:
    programme = selectors.programme_current()
    teams = selectors.team_list(programme=programme)
    return render(
        request,
        "teams/team_list.html",
        {
            "programme": programme,
            "teams": teams,
            "can_manage_teams": permissions.can_manage_teams(request.user),
        },
    )


def team_detail(request: HttpRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(Team.objects.select_related("programme"), slug=slug)
    meetings = selectors.meeting_list_for_team(team=team)
    own_membership = None
    if request.user.is_authenticated:
        own_membership = Membership.objects.filter(user=request.user, team=team).first()
    can_decide = permissions.can_decide_membership(request.user, team.pk)
    return render(
        request,
        "teams/team_detail.html",
        {
            "team": team,
            "meetings": meetings,
            "own_membership": own_membership,
            "can_request_membership": permissions.can_request_membership(request.user, team.pk),
            "can_decide_membership": can_decide,
            "can_manage_teams": permissions.can_manage_teams(request.user),
            "requested_count": (
                team.memberships.filter(status=Membership.Status.REQUESTED).count()
                if can_decide
                else 0
            ),
        },
    )


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    return render(request, "teams/meeting_detail.html", {"meeting": meeting})


# --- My account (RODO: see, correct, download, delete) -----------------------------------------


@login_required
def account_overview(request: AuthenticatedRequest) -> HttpResponse:
    user = _user(request)
    representations = user.representations.select_related("organisation").order_by(
        "organisation__name"
    )
    memberships = user.memberships.select_related("team").order_by("team__position")
    # What the person can do now, role by role: {% what_i_can_do %} (krakow_ngo.landing).
    return render(
        request,
        "teams/account_overview.html",
        {"representations": representations, "memberships": memberships},
    )


@login_required
def account_edit(request: AuthenticatedRequest) -> HttpResponse:
    user = _user(request)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(actor=user, **form.cleaned_data)
        messages.success(request, _("Your details were saved."))
        return redirect("teams:my-account")
    if request.method == "POST":
        user.refresh_from_db()  # the failed form must not leave half-changed values on it
    return render(request, "teams/account_edit.html", {"form": form})


@login_required
@never_cache  # one's personal data (RODO art. 15, 20): kept by no browser or proxy cache
def account_export(request: AuthenticatedRequest) -> HttpResponse:
    user = _user(request)
    if not permissions.can_manage_own_account(user):
        raise Http404
    response = JsonResponse(
        personal_data_export(user=user), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = 'attachment; filename="krakow-ngo-my-data.json"'
    return response


@login_required
def account_delete(request: AuthenticatedRequest) -> HttpResponse:
    user = _user(request)
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.user_delete_account(actor=user)
        logout(request)
        messages.success(
            request,
            _("Your account was deleted and your personal data erased. Thank you for taking part."),
        )
        return redirect("home")
    return render(request, "teams/account_delete.html", {"form": form})


# --- Organisations ----------------------------------------------------------------------------


def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationSearchForm(request.GET or None)
    organisations = Organisation.objects.order_by("name")
    if not request.user.is_authenticated:
        organisations = organisations.filter(verified_at__isnull=False)
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
    if query:
        digits = normalise_number(query)
        condition = Q(name__icontains=query)
        if digits.isdigit():
            condition |= Q(nip=digits) | Q(krs=digits.zfill(10)) | Q(regon=digits)
        organisations = organisations.filter(condition)
    page = Paginator(organisations, 25).get_page(request.GET.get("page"))
    own = set()
    if request.user.is_authenticated:
        own = set(
            Representation.objects.filter(
                user=request.user,
                status__in=[Representation.Status.PENDING, Representation.Status.APPROVED],
            ).values_list("organisation_id", flat=True)
        )
    return render(
        request,
        "teams/organisation_list.html",
        {"form": form, "page": page, "query": query, "own": own},
    )


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.get_organisation_for_user(request.user, pk)
    own = None
    if request.user.is_authenticated:
        own = Representation.objects.filter(user=request.user, organisation=organisation).first()
    return render(
        request,
        "teams/organisation_detail.html",
        {
            "organisation": organisation,
            "own_representation": own,
            "can_request": permissions.can_request_representation(request.user, organisation),
            "can_verify": permissions.can_verify_organisation(request.user)
            and not organisation.is_verified,
        },
    )


@login_required
def organisation_create(request: AuthenticatedRequest) -> HttpResponse:
    user = _user(request)
    if not permissions.can_register_organisation(user):
        raise Http404
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_register(actor=user, **form.cleaned_data)
        except IntegrityError:
            # Somebody registered the same NIP or KRS a moment ago.
            form.add_error(None, _("An organisation with this NIP or KRS is already registered."))
        else:
            messages.success(
                request,
                _(
                    "The organisation was registered. The coordinating team will verify it and "
                    "approve you as its representative; until then you can read but not "
                    "contribute."
                ),
            )
            return redirect("teams:organisation-detail", pk=organisation.pk)
    return render(
        request,
        "teams/organisation_form.html",
        {"form": form, "duplicate_of": form.duplicate_of},
    )


@login_required
@require_POST
def organisation_represent(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = _user(request)
    organisation = access.get_organisation_for_user(user, pk)
    if permissions.can_request_representation(user, organisation):
        services.representation_request(actor=user, organisation=organisation)
        messages.success(
            request,
            _(
                "You asked to represent %(name)s. The coordinating team will decide; you will "
                "see the status on your account page."
            )
            % {"name": organisation.name},
        )
    else:
        messages.info(request, _("You already represent this organisation or asked to."))
    return redirect("teams:organisation-detail", pk=organisation.pk)


@login_required
@require_POST
def organisation_verify(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = _user(request)
    organisation = access.get_organisation_to_verify(user, pk)
    try:
        services.organisation_verify(actor=user, organisation=organisation)
    except services.AlreadyDecided:
        messages.info(request, _("This organisation was already verified."))
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("%(name)s is now verified.") % {"name": organisation.name})
    return redirect(_next_or(request, reverse("teams:coordination")))


# --- Coordination: the queue of the coordinating team -------------------------------------------


@login_required
def coordination(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_view_coordination(request.user):
        raise Http404
    return render(
        request,
        "teams/coordination.html",
        {
            "unverified": Organisation.objects.filter(
                VERIFIABLE, verified_at__isnull=True
            ).order_by("created_at"),
            "representations": Representation.objects.filter(status=Representation.Status.PENDING)
            .select_related("user", "organisation")
            .order_by("created_at"),
            "memberships": Membership.objects.filter(status=Membership.Status.REQUESTED)
            .select_related("user", "team")
            .prefetch_related("user__representations__organisation")
            .order_by("created_at"),
            "decision_form": DecisionForm(),
        },
    )


def _decide_request(
    request: HtmxRequest,
    *,
    default: str,
    decide: Callable[[bool, str], object],
    approved_text: str,
    rejected_text: str,
) -> HttpResponse:
    """The shared answer of the decision views: validate the form, decide once, report."""
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _after_decision(
            request, level=messages.ERROR, text=_form_errors(form), default=default
        )
    try:
        decide(form.approve, form.cleaned_data["reason"])
    except services.AlreadyDecided:
        return _after_decision(
            request,
            level=messages.WARNING,
            text=_("Somebody already decided this request; nothing changed."),
            default=default,
        )
    text = approved_text if form.approve else rejected_text
    return _after_decision(request, level=messages.SUCCESS, text=text, default=default)


@login_required
@require_POST
def representation_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = _user(request)
    representation = access.get_representation_to_decide(user, pk)
    names = {"person": representation.user.email, "organisation": representation.organisation}
    return _decide_request(
        request,
        default=reverse("teams:coordination"),
        decide=lambda approve, reason: services.representation_decide(
            actor=user, representation=representation, approve=approve, reason=reason
        ),
        approved_text=_("%(person)s now represents %(organisation)s.") % names,
        rejected_text=_("The request of %(person)s to represent %(organisation)s was rejected.")
        % names,
    )


# --- Team membership --------------------------------------------------------------------------


@login_required
@require_POST
def team_join(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    user = _user(request)
    team = access.get_team_for_user(user, slug)
    if permissions.can_request_membership(user, team.pk):
        services.membership_request(actor=user, team=team)
        messages.success(
            request,
            _("You asked to join this team. A moderator will decide; see your account page."),
        )
    else:
        messages.info(request, _("You are already in this team or asked to join it."))
    return redirect(team.get_absolute_url())


@login_required
def team_members(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    team = access.get_team_requests_for_user(request.user, slug)
    memberships = (
        team.memberships.select_related("user", "decided_by")
        .prefetch_related(
            Prefetch(
                "user__representations",
                queryset=Representation.objects.select_related("organisation"),
            )
        )
        .order_by("created_at")
    )
    return render(
        request,
        "teams/team_members.html",
        {
            "team": team,
            "requested": [m for m in memberships if m.status == Membership.Status.REQUESTED],
            "approved": [m for m in memberships if m.status == Membership.Status.APPROVED],
            "decision_form": DecisionForm(),
            "appoint_form": ModeratorAppointForm(),
            "can_manage_teams": permissions.can_manage_teams(request.user),
        },
    )


@login_required
@require_POST
def membership_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = _user(request)
    membership = access.get_membership_to_decide(user, pk)
    names = {"person": membership.user.email}
    return _decide_request(
        request,
        default=reverse("teams:team-members", kwargs={"slug": membership.team.slug}),
        decide=lambda approve, reason: services.membership_decide(
            actor=user, membership=membership, approve=approve, reason=reason
        ),
        approved_text=_("%(person)s is now a member of the team.") % names,
        rejected_text=_("The request of %(person)s to join the team was rejected.") % names,
    )


# --- Managing teams and moderators (coordinating team) ------------------------------------------


@login_required
def team_create(request: AuthenticatedRequest) -> HttpResponse:
    user = _user(request)
    if not permissions.can_manage_teams(user):
        raise Http404
    programme = selectors.programme_current()
    if programme is None:
        raise Http404("No programme yet.")
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        team = services.team_create(actor=user, programme=programme, **form.cleaned_data)
        messages.success(request, _("The team was created."))
        return redirect(team.get_absolute_url())
    return render(request, "teams/team_form.html", {"form": form, "team": None})


@login_required
def team_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    user = _user(request)
    team = access.get_team_to_manage(user, slug)
    form = TeamForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        team = services.team_update(actor=user, team=team, **form.cleaned_data)
        messages.success(request, _("The team was saved."))
        return redirect(team.get_absolute_url())
    if request.method == "POST":
        team.refresh_from_db()
    return render(request, "teams/team_form.html", {"form": form, "team": team})


@login_required
@require_POST
def moderator_appoint(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    user = _user(request)
    team = access.get_team_to_manage(user, slug)
    form = ModeratorAppointForm(request.POST)
    if form.is_valid():
        person = form.cleaned_data["email"]
        services.moderator_appoint(actor=user, team=team, user=person)
        messages.success(
            request, _("%(person)s moderates this team now.") % {"person": person.email}
        )
    else:
        for error in form.errors.get("email", []):
            messages.error(request, str(error))
    return redirect("teams:team-members", slug=team.slug)


@login_required
@require_POST
def moderator_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = _user(request)
    membership = access.get_moderator_membership_to_remove(user, pk)
    services.moderator_remove(actor=user, membership=membership)
    messages.success(
        request,
        _("%(person)s no longer moderates this team and stays a member.")
        % {"person": membership.user.email},
    )
    return redirect("teams:team-members", slug=membership.team.slug)


# --- People and global roles (coordinating team) -----------------------------------------------


@login_required
def people(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_manage_people(request.user):
        raise Http404
    form = PeopleSearchForm(request.GET or None)
    persons = User.objects.filter(is_active=True).order_by("email")
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        persons = persons.filter(
            Q(email__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    page = Paginator(persons, 50).get_page(request.GET.get("page"))
    return render(request, "teams/people.html", {"form": form, "page": page})


@login_required
@require_POST
def person_roles(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = _user(request)
    person = access.get_person_for_user(user, pk)
    form = GlobalRolesForm(request.POST)
    if form.is_valid():
        services.user_set_global_roles(actor=user, user=person, **form.cleaned_data)
        messages.success(
            request, _("The roles of %(person)s were saved.") % {"person": person.email}
        )
    return redirect(_next_or(request, reverse("teams:people")))


@login_required
def team_leave(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """A page that says what leaving means, and the button that does it."""
    team = access.get_team_for_user(request.user, slug)
    membership = Membership.objects.filter(user=request.user, team=team).first()
    if request.method == "POST":
        try:
            services.membership_leave(actor=_user(request), team=team)
        except Refused as refusal:
            messages.info(request, str(refusal))
        else:
            messages.success(request, _("You have left the team."))
        return redirect(team.get_absolute_url())
    return render(request, "teams/team_leave.html", {"team": team, "membership": membership})


# --- Programmes: cycles and their archive (issue 13) ----------------------------------------------


def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = list(selectors.programme_list())
    return render(
        request,
        "teams/programme_list.html",
        {
            "current": [p for p in programmes if p.is_current],
            "archived": [p for p in programmes if not p.is_current],
            "can_manage_programmes": permissions.can_manage_programmes(request.user),
        },
    )


def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=pk)
    return render(
        request,
        "teams/programme_detail.html",
        {
            "programme": programme,
            "teams": selectors.team_list(programme=programme),
            "meetings": selectors.meeting_list_for_programme(programme=programme),
            "can_manage_programmes": permissions.can_manage_programmes(request.user),
        },
    )


def programme_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=pk)
    response = HttpResponse(
        ics.calendar(programme.title, ics.cycle_events(programme)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="programme.ics"'
    return response


@login_required
def programme_create(request: AuthenticatedRequest) -> HttpResponse:
    user = _user(request)
    if not permissions.can_manage_programmes(user):
        raise PermissionDenied(_("Only the coordinating team starts a programme."))
    form = ProgrammeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid() and not is_confirmed(request):
        # A period the service would refuse is said on the form, not after "Yes".
        data = form.cleaned_data
        try:
            services.check_programme_period(data["kind"], data["period_start"], data["period_end"])
        except Refused as refusal:
            form.add_error(None, str(refusal))
            return render(request, "teams/programme_form.html", {"form": form}, status=400)
        return _programme_create_confirm(request, data)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(actor=user, **form.cleaned_data)
        except ConflictError as conflict:
            form.add_error(None, str(conflict))
            status = 409
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("The programme %(title)s is now the current one of its kind.")
                % {"title": programme.title},
            )
            return redirect(programme.get_absolute_url())
    return render(request, "teams/programme_form.html", {"form": form}, status=status)


#: A multi-year programme longer than this is said on its confirmation page (the law sets no
#: length; Kraków's have covered a few years): a typo such as 2090 for 2030 is caught there.
USUAL_PROGRAMME_YEARS = 5


def _programme_create_confirm(request: HttpRequest, data: dict[str, Any]) -> HttpResponse:
    """Starting a programme archives the current one of its kind and cannot be undone, and
    its period cannot be changed afterwards: said first, with what the form asked for."""
    previous = Programme.objects.current().filter(kind=data["kind"]).first()
    # Named as the programme will name it (Programme.period).
    period = Programme(period_start=data["period_start"], period_end=data["period_end"]).period
    consequences = [
        _("“%(title)s” (%(period)s) becomes the current programme of its kind.")
        % {"title": data["title"], "period": period},
        _("Its period cannot be changed afterwards (its title can): check the years."),
    ]
    if previous is not None:
        consequences.append(
            _(
                "“%(title)s” (%(period)s) is archived: it stays readable with everything in "
                "it, and is no longer the current programme."
            )
            % {"title": previous.title, "period": previous.period}
        )
    audience = None
    if data.get("carry_over_teams") and previous is not None:
        consequences.append(_("The teams of the archived programme are carried over."))
        audience = notices.carry_over_audience_described(previous)
    warnings = []
    years = data["period_end"] - data["period_start"] + 1
    if years > USUAL_PROGRAMME_YEARS:
        warnings.append(
            _("This programme covers %(years)s years, more than usual: check the last year.")
            % {"years": years}
        )
    deadline = cycle.adoption_deadline(data["period_start"])
    if timezone.localdate() > deadline:
        warnings.append(
            _(
                "The legal deadline for adopting a programme starting in %(year)s "
                "(%(deadline)s) has passed."
            )
            % {"year": data["period_start"], "deadline": prose_date(deadline)}
        )
    hidden = {
        name: data[name] for name in ("kind", "title", "period_start", "period_end", "working_copy")
    }
    if data.get("carry_over_teams"):
        hidden["carry_over_teams"] = "on"
    return confirm_page(
        request,
        title=_("Start the programme?"),
        subject=str(data["title"]),
        consequences=consequences,
        audience=audience,
        action_url=reverse("teams:programme-create"),
        cancel_url=reverse("teams:programme-list"),
        submit_label=_("Yes, start the programme"),
        hidden=hidden,
        warning=" ".join(str(warning) for warning in warnings),
    )


@login_required
def programme_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = _user(request)
    if not permissions.can_manage_programmes(user):
        raise PermissionDenied(_("Only the coordinating team edits a programme."))
    programme = get_object_or_404(Programme, pk=pk)
    form = ProgrammeTitleForm(request.POST or None, initial={"title": programme.title})
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update_title(
                actor=user, programme=programme, title=form.cleaned_data["title"]
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The title was saved."))
            return redirect(programme.get_absolute_url())
    return render(request, "teams/programme_edit.html", {"form": form, "programme": programme})
