from django.contrib import admin

from core.admin import NameFieldsAdmin, PortalAdmin

from .models import Action, Goal


class ActionInline(PortalAdmin, admin.TabularInline):
    model = Action
    extra = 0
    fields = ["number", "text", "status", "meeting"]


@admin.register(Goal)
class GoalAdmin(NameFieldsAdmin, admin.ModelAdmin):
    name_fields = ("title",)
    list_display = ["number", "title", "team", "meeting"]
    list_filter = ["team"]
    search_fields = ["title", "proposed_solutions"]
    inlines = [ActionInline]


@admin.register(Action)
class ActionAdmin(PortalAdmin, admin.ModelAdmin):
    list_display = ["number", "text", "team", "meeting", "goal", "status"]
    list_display_links = ["number", "text"]
    list_filter = ["status", "team", "meeting"]
    search_fields = ["text"]
    raw_id_fields = ["author"]
