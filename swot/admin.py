from django.contrib import admin

from core.admin import NameFieldsAdmin, PortalAdmin

from .models import SwotEntry, SwotTopic


class SwotEntryInline(PortalAdmin, admin.TabularInline):
    model = SwotEntry
    extra = 0
    fk_name = "topic"
    raw_id_fields = ["author", "organisation", "merged_into"]


@admin.register(SwotTopic)
class SwotTopicAdmin(NameFieldsAdmin, admin.ModelAdmin):
    name_fields = ("title",)
    list_display = ["title", "meeting", "position"]
    list_filter = ["meeting__team"]
    inlines = [SwotEntryInline]


@admin.register(SwotEntry)
class SwotEntryAdmin(PortalAdmin, admin.ModelAdmin):
    list_display = ["text", "quadrant", "topic", "author", "merged_into"]
    list_filter = ["quadrant", "topic__meeting"]
    search_fields = ["text"]
    raw_id_fields = ["author", "organisation", "merged_into"]
