from django.contrib import admin

from medmatch.research.models import ShortlistItem, Tag


@admin.register(ShortlistItem)
class ShortlistItemAdmin(admin.ModelAdmin):
    list_display = ["program", "student", "rating", "created_at"]
    list_select_related = ["program__institution", "student"]
    raw_id_fields = ["student", "program"]
    search_fields = ["student__username", "program__title"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "student"]
    raw_id_fields = ["student"]
    search_fields = ["name", "student__username"]
