"""The reply admin: moderation decisions go through the queue; a direct edit here
refreshes what the reply's page shows."""

from __future__ import annotations

from django.contrib import admin

from answers.models import Reply, ReplyVersion
from questions import changes


class ReplyVersionInline(admin.TabularInline):
    model = ReplyVersion
    extra = 0
    readonly_fields = ["body", "created_at"]
    can_delete = False


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "published_at", "thanks_count"]
    list_filter = ["status"]
    list_select_related = ["doctor"]
    raw_id_fields = ["question", "doctor"]
    inlines = [ReplyVersionInline]

    # Moderation decisions go through the queue; a direct edit here may still change
    # what the page, search and, for a first reply, other pages' Similar Q&A show.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes.reply_changed(obj.question_id, first_reply_changed=True)

    def delete_model(self, request, obj):
        question_id = obj.question_id
        super().delete_model(request, obj)
        changes.reply_changed(question_id, first_reply_changed=True)

    def delete_queryset(self, request, queryset):
        question_ids = set(queryset.values_list("question_id", flat=True))
        super().delete_queryset(request, queryset)
        for question_id in sorted(question_ids):
            changes.reply_changed(question_id, first_reply_changed=True)
