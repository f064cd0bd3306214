from django.contrib import admin

from answers.models import (
    FAQ,
    Article,
    DigestDelivery,
    QuestionClaim,
    Reply,
    ReplyVersion,
    Thank,
)


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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "reviewer", "reviewed_on", "published_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["reviewer"]
    raw_id_fields = ["questions"]


@admin.register(FAQ)
class FAQAdmin(admin.ModelAdmin):
    list_display = ["question", "specialty", "is_published", "position"]
    list_filter = ["is_published", "specialty"]
    search_fields = ["question"]
    list_select_related = ["specialty"]


admin.site.register(Thank)
admin.site.register(QuestionClaim)
admin.site.register(DigestDelivery)
