from django.contrib import admin

from core.admin import NameFieldsAdmin, PortalAdmin

from .models import Comment, CommentRevision, Round


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
    list_display = ["pk", "round", "organisation", "author_role", "disposition", "hidden_at"]
    list_filter = ["round", "disposition"]
    readonly_fields = ["version", "flag_count"]
    inlines = [RevisionInline]
