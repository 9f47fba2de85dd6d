from django.contrib import admin
from django.http import HttpRequest

from core.admin import NameFieldsAdmin, PortalAdmin

from .models import Comment, CommentRevision, Round
from .phases import Feature, phase_opens


@admin.register(Round)
class RoundAdmin(NameFieldsAdmin, admin.ModelAdmin):
    name_fields = ("title", "subject", "responsible_office", "contact")
    list_display = ["title", "status", "opens_at", "closes_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "version"]


class RevisionInline(PortalAdmin, admin.TabularInline):
    model = CommentRevision
    extra = 0
    readonly_fields = ["text", "proposed_wording", "edited_by", "created_at"]
    can_delete = False


@admin.register(Comment)
class CommentAdmin(PortalAdmin, admin.ModelAdmin):
    """Comments are changed through the portal's services (edit, hide, settle, withdraw:
    audited, told to their authors). Here: never deleted (a registered comment is numbered in
    a gapless register, and nothing sent is lost: it is withdrawn), and read only once its
    round's report is published (the report froze it: docs/consultations.md)."""

    list_display = ["pk", "round", "organisation", "author_role", "disposition", "hidden_at"]
    list_filter = ["round", "disposition"]
    readonly_fields = ["version", "flag_count"]
    inlines = [RevisionInline]

    def has_delete_permission(self, request: HttpRequest, obj: Comment | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Comment | None = None) -> bool:
        if obj is not None and phase_opens(obj.round, Feature.REPORT):
            return False
        return super().has_change_permission(request, obj)
