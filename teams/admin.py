from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

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


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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


class RepresentationInline(admin.TabularInline):
    model = Representation
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["decided_by", "decided_at"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_form", "nip", "regon", "krs", "verified_at"]
    list_filter = ["legal_form"]
    search_fields = ["name", "nip", "regon", "krs"]
    readonly_fields = ["verified_by", "created_at"]
    inlines = [RepresentationInline]


class ContextSectionInline(admin.StackedInline):
    model = ContextSection
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "period_start", "period_end", "stage"]
    inlines = [ContextSectionInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "other_names", "programme", "position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "other_names"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "role", "status"]
    list_filter = ["role", "status", "team"]
    autocomplete_fields = ["user", "team"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["user", "organisation"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "date", "status"]
    list_filter = ["status", "team"]
    search_fields = ["title"]
    date_hierarchy = "date"
    inlines = [AgendaItemInline, AttendanceInline]


admin.site.register(Representation)
admin.site.register(ContextSection)
admin.site.register(Speaker)


# The admin has no throttling of its own: send its log-in through allauth's rate-limited one.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
