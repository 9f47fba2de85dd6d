from typing import Any, cast

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin import NameFieldsAdmin, PortalAdmin

from . import notices, services
from .models import (
    AgendaItem,
    Attendance,
    ContextSection,
    Meeting,
    Membership,
    Organisation,
    Programme,
    Representation,
    Speaker,
    Team,
    User,
)


def _staff(request: HttpRequest) -> User:
    """The admin's user: only active staff get past the admin's login."""
    return cast(User, request.user)


@admin.register(User)
class UserAdmin(NameFieldsAdmin, BaseUserAdmin):
    name_fields = ("first_name", "last_name")
    ordering = ["email"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "is_coordinator",
        "is_official",
        "is_expert",
        "is_staff",
    ]
    list_filter = ["is_coordinator", "is_official", "is_expert", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Personal info"),
            {"fields": ("first_name", "last_name", "language", "show_name_publicly")},
        ),
        (_("Portal roles"), {"fields": ("is_coordinator", "is_official", "is_expert")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class RepresentationInline(PortalAdmin, admin.TabularInline):
    model = Representation
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["decided_by", "decided_at"]


@admin.register(Organisation)
class OrganisationAdmin(NameFieldsAdmin, admin.ModelAdmin):
    name_fields = ("name",)
    list_display = ["name", "legal_form", "nip", "regon", "krs", "verified_at"]
    list_filter = ["legal_form"]
    search_fields = ["name", "nip", "regon", "krs"]
    readonly_fields = ["verified_at", "verified_by", "created_at"]
    inlines = [RepresentationInline]
    actions = ["verify"]

    @admin.action(description=_("Verify the selected organisations"))
    def verify(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        # Through the service, so that the decision is audited like on the portal's pages.
        for organisation in queryset.filter(verified_at__isnull=True):
            services.organisation_verify(actor=_staff(request), organisation=organisation)


class ContextSectionInline(NameFieldsAdmin, admin.StackedInline):
    model = ContextSection
    name_fields = ("title",)
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(NameFieldsAdmin, admin.ModelAdmin):
    name_fields = ("title",)
    list_display = ["title", "kind", "period_start", "period_end", "is_current", "stage"]
    inlines = [ContextSectionInline]


class MembershipInline(PortalAdmin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(NameFieldsAdmin, admin.ModelAdmin):
    name_fields = ("name", "name_en", "other_names")
    list_display = ["name", "name_en", "other_names", "programme", "position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "name_en", "other_names"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(PortalAdmin, admin.ModelAdmin):
    list_display = ["user", "team", "role", "status"]
    list_filter = ["role", "status", "team"]
    autocomplete_fields = ["user", "team"]
    actions = ["approve", "reject"]

    def _decide(self, request: HttpRequest, queryset: QuerySet[Membership], approve: bool) -> None:
        for membership in queryset.filter(status=Membership.Status.REQUESTED):
            services.membership_decide(
                actor=_staff(request), membership=membership, approve=approve
            )

    @admin.action(description=_("Approve the selected requests"))
    def approve(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Reject the selected requests"))
    def reject(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        self._decide(request, queryset, approve=False)


class AgendaItemInline(NameFieldsAdmin, admin.TabularInline):
    model = AgendaItem
    name_fields = ("numeral", "title")
    extra = 0


class AttendanceInline(PortalAdmin, admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["user", "organisation"]


@admin.register(Meeting)
class MeetingAdmin(NameFieldsAdmin, admin.ModelAdmin):
    name_fields = ("title", "place", "annex_title")
    list_display = ["title", "team", "date", "status"]
    list_filter = ["status", "team"]
    search_fields = ["title"]
    date_hierarchy = "date"
    inlines = [AgendaItemInline, AttendanceInline]
    # A meeting's phase moves only through its steps (teams.meeting_services.meeting_advance:
    # confirmation, e-mails, freezing what is published): a published meeting set back to a
    # draft here vanished under its published annex and report.
    readonly_fields = ["status", "published_at", "minutes_published_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Meeting | None = None) -> Any:
        """Once people are invited, its date, times and places change only through the plan
        (teams.meeting_services.meeting_update), which e-mails the change with the calendar
        event again; here they would change with nobody told."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status in (Meeting.Status.PLANNED, Meeting.Status.OPEN):
            fields += list(notices.WHEN_AND_WHERE)
        return fields


@admin.register(Representation)
class RepresentationAdmin(PortalAdmin, admin.ModelAdmin):
    list_display = ["user", "organisation", "status", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "organisation__name"]
    readonly_fields = ["status", "decided_by", "decided_at"]
    autocomplete_fields = ["user", "organisation"]
    actions = ["approve", "reject"]

    def _decide(
        self, request: HttpRequest, queryset: QuerySet[Representation], approve: bool
    ) -> None:
        for representation in queryset.filter(status=Representation.Status.PENDING):
            services.representation_decide(
                actor=_staff(request), representation=representation, approve=approve
            )

    @admin.action(description=_("Approve the selected requests"))
    def approve(self, request: HttpRequest, queryset: QuerySet[Representation]) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Reject the selected requests"))
    def reject(self, request: HttpRequest, queryset: QuerySet[Representation]) -> None:
        self._decide(request, queryset, approve=False)


@admin.register(ContextSection)
class ContextSectionAdmin(NameFieldsAdmin, admin.ModelAdmin):
    name_fields = ("title",)


@admin.register(Speaker)
class SpeakerAdmin(NameFieldsAdmin, admin.ModelAdmin):
    name_fields = ("name",)


# The admin has no throttling of its own: send its log-in through allauth's rate-limited one.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
