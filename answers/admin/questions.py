"""The question admin of `questions`, extended with what lives here: a question's
replies (read-only) and its attached articles."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from answers.models import Article, Reply
from questions import admin as questions_admin
from questions.models import Question

ArticleQuestion = Article.questions.through


class ReplyInline(admin.TabularInline):
    """Replies shown read-only: replies are moderated in the moderation queue."""

    model = Reply
    fields = ["doctor", "status", "body", "published_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("doctor")

    def has_view_permission(self, request, obj=None):
        # Whoever may see the question may see its replies here, without a Reply screen.
        return request.user.has_perm("questions.view_question")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AttachedArticleInline(admin.TabularInline):
    model = ArticleQuestion
    fields = ["article", "article_status"]
    readonly_fields = ["article_status"]
    autocomplete_fields = ["article"]
    extra = 0
    verbose_name = _("attached article")
    verbose_name_plural = _("attached articles (More Info)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")

    @admin.display(description=_("status"))
    def article_status(self, link) -> str:
        return link.article.get_status_display() if link.article_id else ""


admin.site.unregister(Question)


@admin.register(Question)
class QuestionAdmin(questions_admin.QuestionAdmin):
    inlines = [ReplyInline, AttachedArticleInline]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        match = request.resolver_match
        if (
            match is not None
            and match.url_name == "autocomplete"
            and request.GET.get("app_label") == Article._meta.app_label
            and request.GET.get("model_name") == Article._meta.model_name
        ):
            queryset = queryset.published()  # articles are attached to public questions
        return queryset, may_have_duplicates
