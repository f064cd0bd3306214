from django.contrib import admin

from questions.models import Question, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "specialty", "is_urgent", "created_at", "answered_at"]
    list_filter = ["status", "is_urgent", "specialty"]
    search_fields = ["title"]
    list_select_related = ["specialty"]
    readonly_fields = ["author", "created_at", "published_at", "answered_at", "screening"]
    date_hierarchy = "created_at"
