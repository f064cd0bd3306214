"""The article and FAQ admins, the editors' workplace: every save, publication and
deletion goes through answers/actions/articles.py."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from answers.actions.articles import (
    confirm_article_review,
    delete_article,
    delete_faq,
    save_article,
    save_faq,
    set_article_status,
)
from answers.admin.previews import MarkdownPreviewMixin, markdown_textarea
from answers.models import FAQ, Article
from forum import roles
from forum.models import DoctorProfile, Specialty
from questions import admin as questions_admin
from questions.models import Question

ArticleQuestion = Article.questions.through


class AttachedSpecialtyFilter(admin.SimpleListFilter):
    title = _("specialty of attached questions")
    parameter_name = "question_specialty"

    def lookups(self, request, model_admin):
        return [(s.slug, s.localized_name) for s in Specialty.objects.all()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        links = ArticleQuestion.objects.filter(question__specialty__slug=self.value())
        return queryset.filter(pk__in=links.values("article_id"))


class ReviewDueFilter(admin.SimpleListFilter):
    """Published articles past their next review date, or due within
    ARTICLE_REVIEW_DUE_SOON_DAYS."""

    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", _("Review overdue")), ("soon", _("Review due soon"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(pk__in=Article.objects.review_overdue(today=today).values("pk"))
        if self.value() == "soon":
            return queryset.filter(pk__in=Article.objects.review_due_soon(today=today).values("pk"))
        return queryset


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "body",
            "language",
            "status",
            "reviewer",
            "reviewed_on",
            "next_review_on",
            "questions",
        ]
        widgets = {"body": markdown_textarea("answers_article_preview")}
        help_texts = {
            "body": _(
                "Markdown: ## headings, lists, **bold**, *italic*, [links](https://…), tables, "
                "and images from /static/ or https. The preview shows what readers will see."
            ),
            "questions": _("Type part of a question's title to find it."),
        }

    def clean(self):
        cleaned = super().clean()
        reviewed_on = cleaned.get("reviewed_on")
        if reviewed_on and reviewed_on > timezone.localdate():
            self.add_error("reviewed_on", gettext("The review date cannot be in the future."))
        if cleaned.get("status") == Article.Status.PUBLISHED:
            if not cleaned.get("reviewer"):
                self.add_error("reviewer", gettext("A published article needs a medical reviewer."))
            if not reviewed_on:
                self.add_error("reviewed_on", gettext("A published article needs a review date."))
        next_review_on = cleaned.get("next_review_on")
        if reviewed_on and next_review_on and next_review_on <= reviewed_on:
            self.add_error(
                "next_review_on", gettext("The next review must come after the last review.")
            )
        return cleaned


@admin.register(Article)
class ArticleAdmin(MarkdownPreviewMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    preview_url_name = "answers_article_preview"
    list_display = [
        "title",
        "status",
        "question_count",
        "reviewer",
        "reviewed_on",
        "next_review",
        "published_at",
        "author",
    ]
    list_filter = [
        "status",
        ReviewDueFilter,
        AttachedSpecialtyFilter,
        ("reviewer", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["questions"]
    readonly_fields = ["author", "published_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "body", "language"]}),
        (_("Attached to"), {"fields": ["questions"]}),
        (
            _("Review and publishing"),
            {
                "fields": [
                    "status",
                    "reviewer",
                    "reviewed_on",
                    "next_review_on",
                    "author",
                    "published_at",
                    "updated_at",
                ]
            },
        ),
    ]
    actions = ["publish_articles", "unpublish_articles", "confirm_reviews"]
    change_form_template = "admin/answers/article/change_form.html"
    change_list_template = "admin/answers/article/change_list.html"

    def get_urls(self):
        confirm = self.admin_site.admin_view(require_POST(self.confirm_review_view))
        return [
            path("<int:pk>/confirm-review/", confirm, name="answers_article_confirm_review"),
            *super().get_urls(),
        ]

    def confirm_review_view(self, request, pk):
        """The change page's "Reviewed, still accurate" button."""
        article = get_object_or_404(Article, pk=pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        article = confirm_article_review(article=article, actor=request.user)
        self.message_user(
            request,
            gettext("Review confirmed; next review on %(date)s.")
            % {"date": formats.date_format(article.next_review_on, "Y/m/d")},
        )
        return redirect("admin:answers_article_change", article.pk)

    def changelist_view(self, request, extra_context=None):
        today = timezone.localdate()
        extra_context = {
            **(extra_context or {}),
            "overdue_count": Article.objects.review_overdue(today=today).count(),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "today": timezone.localdate()}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("next review"), ordering="next_review_on")
    def next_review(self, obj: Article) -> str:
        if obj.next_review_on is None:
            return "-"
        shown = formats.date_format(obj.next_review_on, "Y/m/d")
        if obj.status == Article.Status.PUBLISHED and obj.is_review_overdue(timezone.localdate()):
            return gettext("%(date)s (review due)") % {"date": shown}
        return shown

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "questions" in form.base_fields and not roles.is_moderator(request.user):
            # Editors attach articles to published questions only (what they can see in
            # the question admin); links an article already has stay valid.
            attached = ArticleQuestion.objects.filter(article=obj).values("question_id")
            form.base_fields["questions"].queryset = Question.objects.filter(
                Q(status=Question.Status.PUBLISHED) | Q(pk__in=attached if obj else [])
            )
        return form

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("reviewer", "author")
            .annotate(question_count=questions_admin.link_count(ArticleQuestion, "article"))
        )

    @admin.display(description=_("questions"), ordering="question_count")
    def question_count(self, obj: Article) -> int:
        return obj.question_count

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reviewer":
            kwargs["queryset"] = DoctorProfile.objects.verified()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The article and its questions are written together, so save_related skips
        # form.save_m2m().
        save_article(article=obj, questions=form.cleaned_data["questions"], actor=request.user)

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        delete_article(article=obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            delete_article(article=article)

    @admin.action(description=_("Publish selected articles"), permissions=["change"])
    def publish_articles(self, request, queryset):
        ready = queryset.filter(reviewer__isnull=False, reviewed_on__isnull=False)
        done = 0
        for article in ready.exclude(status=Article.Status.PUBLISHED):
            set_article_status(article=article, status=Article.Status.PUBLISHED, actor=request.user)
            done += 1
        self.message_user(
            request, ngettext("%d article published.", "%d articles published.", done) % done
        )
        unreviewed = queryset.count() - ready.count()
        if unreviewed:
            self.message_user(
                request,
                ngettext(
                    "%d article was not published: it has no medical reviewer and review date.",
                    "%d articles were not published: they have no medical reviewer and "
                    "review date.",
                    unreviewed,
                )
                % unreviewed,
                messages.WARNING,
            )

    @admin.action(description=_("Move selected articles back to draft"), permissions=["change"])
    def unpublish_articles(self, request, queryset):
        done = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            set_article_status(article=article, status=Article.Status.DRAFT, actor=request.user)
            done += 1
        self.message_user(
            request,
            ngettext("%d article moved to draft.", "%d articles moved to draft.", done) % done,
        )

    @admin.action(description=_("Reviewed, still accurate"), permissions=["change"])
    def confirm_reviews(self, request, queryset):
        done = 0
        for article in queryset:
            confirm_article_review(article=article, actor=request.user)
            done += 1
        self.message_user(
            request,
            ngettext(
                "%d article re-confirmed as reviewed.",
                "%d articles re-confirmed as reviewed.",
                done,
            )
            % done,
        )


# FAQs --------------------------------------------------------------------------------


class FAQAdminForm(forms.ModelForm):
    class Meta:
        model = FAQ
        fields = [
            "question",
            "answer",
            "language",
            "specialty",
            "tags",
            "is_published",
            "position",
        ]
        widgets = {"answer": markdown_textarea("answers_faq_preview")}


@admin.register(FAQ)
class FAQAdmin(MarkdownPreviewMixin, admin.ModelAdmin):
    form = FAQAdminForm
    preview_url_name = "answers_faq_preview"
    list_display = ["question", "specialty", "tag_list", "is_published", "position"]
    list_filter = ["is_published", "specialty", "language"]
    search_fields = ["question"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("specialty").prefetch_related("tags")

    @admin.display(description=_("tags"))
    def tag_list(self, obj: FAQ) -> str:
        return ", ".join(sorted(tag.name for tag in obj.tags.all()))

    def save_model(self, request, obj, form, change):
        save_faq(faq=obj)

    def delete_model(self, request, obj):
        delete_faq(faq=obj)

    def delete_queryset(self, request, queryset):
        for faq in queryset:
            delete_faq(faq=faq)
