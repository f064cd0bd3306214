"""Admin for replies, articles and FAQs: the editors' workplace.

Every write goes through answers/actions.py (rendered HTML cached on save, audit log,
page caches refreshed). This module also extends the question and tag admins of
`questions` with what lives here: replies and attached articles on a question, FAQ
counts and merging on tags.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse_lazy
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from answers.actions import (
    delete_article,
    delete_faq,
    merge_tags,
    save_article,
    save_faq,
    set_article_status,
)
from answers.models import (
    FAQ,
    Article,
    DigestDelivery,
    QuestionClaim,
    Reply,
    ReplyVersion,
    TaggedFAQ,
    Thank,
)
from forum import admin as forum_admin
from forum import roles
from forum.markdown import render_markdown
from forum.models import DoctorProfile, Specialty
from questions import admin as questions_admin
from questions import changes
from questions.models import Question, Tag

MAX_PREVIEW_CHARS = 100_000
ArticleQuestion = Article.questions.through


def markdown_preview_response(request) -> JsonResponse:
    """The sanitized HTML of the posted Markdown, exactly as a page would show it."""
    text = request.POST.get("text", "")
    if len(text) > MAX_PREVIEW_CHARS:
        return JsonResponse({"error": "The text is too long to preview."}, status=400)
    return JsonResponse({"html": render_markdown(text)})


def markdown_textarea(preview_url_name: str) -> forms.Textarea:
    """A textarea that static/js/admin_preview.js gives a live preview."""
    return forms.Textarea(
        attrs={
            "rows": 18,
            "cols": 80,
            "data-markdown-preview": reverse_lazy(f"admin:{preview_url_name}"),
        }
    )


class MarkdownPreviewMixin:
    """Adds a POST-only preview endpoint, guarded by the model's change permission."""

    preview_url_name: str

    class Media:
        js = ["js/admin_preview.js"]
        css = {"all": ["css/admin_preview.css"]}

    def get_urls(self):
        preview = require_POST(self.preview_view)
        return [
            path("preview/", self.admin_site.admin_view(preview), name=self.preview_url_name),
            *super().get_urls(),
        ]

    def preview_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        return markdown_preview_response(request)


# Replies -----------------------------------------------------------------------------


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


# Doctors: the model and its admin are forum's; what a change refreshes is known above
# forum (questions/changes.py), so the admin is re-registered here with those calls.
admin.site.unregister(DoctorProfile)


@admin.register(DoctorProfile)
class DoctorProfileAdmin(questions_admin.RefreshesOnChange, forum_admin.DoctorProfileAdmin):
    def refresh(self, obj) -> None:
        changes.doctor_changed(obj)


# Articles ----------------------------------------------------------------------------


class AttachedSpecialtyFilter(admin.SimpleListFilter):
    title = "specialty of attached questions"
    parameter_name = "question_specialty"

    def lookups(self, request, model_admin):
        return [(s.slug, s.name) for s in Specialty.objects.all()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        links = ArticleQuestion.objects.filter(question__specialty__slug=self.value())
        return queryset.filter(pk__in=links.values("article_id"))


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
            "questions",
        ]
        widgets = {"body": markdown_textarea("answers_article_preview")}
        help_texts = {
            "body": (
                "Markdown: ## headings, lists, **bold**, *italic*, [links](https://…), tables, "
                "and images from /static/ or https. The preview shows what readers will see."
            ),
            "questions": "Type part of a question's title to find it.",
        }

    def clean(self):
        cleaned = super().clean()
        reviewed_on = cleaned.get("reviewed_on")
        if reviewed_on and reviewed_on > timezone.localdate():
            self.add_error("reviewed_on", "The review date cannot be in the future.")
        if cleaned.get("status") == Article.Status.PUBLISHED:
            if not cleaned.get("reviewer"):
                self.add_error("reviewer", "A published article needs a medical reviewer.")
            if not reviewed_on:
                self.add_error("reviewed_on", "A published article needs a review date.")
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
        "published_at",
        "author",
    ]
    list_filter = [
        "status",
        AttachedSpecialtyFilter,
        ("reviewer", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["questions"]
    readonly_fields = ["author", "published_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "body", "language"]}),
        ("Attached to", {"fields": ["questions"]}),
        (
            "Review and publishing",
            {
                "fields": [
                    "status",
                    "reviewer",
                    "reviewed_on",
                    "author",
                    "published_at",
                    "updated_at",
                ]
            },
        ),
    ]
    actions = ["publish_articles", "unpublish_articles"]

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

    @admin.display(description="questions", ordering="question_count")
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

    @admin.action(description="Publish selected articles", permissions=["change"])
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

    @admin.action(description="Move selected articles back to draft", permissions=["change"])
    def unpublish_articles(self, request, queryset):
        done = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            set_article_status(article=article, status=Article.Status.DRAFT, actor=request.user)
            done += 1
        self.message_user(
            request,
            ngettext("%d article moved to draft.", "%d articles moved to draft.", done) % done,
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

    @admin.display(description="tags")
    def tag_list(self, obj: FAQ) -> str:
        return ", ".join(sorted(tag.name for tag in obj.tags.all()))

    def save_model(self, request, obj, form, change):
        save_faq(faq=obj)

    def delete_model(self, request, obj):
        delete_faq(faq=obj)

    def delete_queryset(self, request, queryset):
        for faq in queryset:
            delete_faq(faq=faq)


# Questions: replies and attached articles ---------------------------------------------


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
    verbose_name = "attached article"
    verbose_name_plural = "attached articles (More Info)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")

    @admin.display(description="status")
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


# Tags: FAQ counts and merging -----------------------------------------------------------


class TagMergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Tag.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Tag to keep",
        help_text="Every question and FAQ of the other tags moves to this one; the others are "
        "deleted.",
    )

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = tags


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(questions_admin.TagAdmin):
    list_display = ["name", "slug", "topic", "question_count", "faq_count"]
    actions = ["merge_selected_tags"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(faq_count=questions_admin.link_count(TaggedFAQ))
        )

    @admin.display(description="FAQs", ordering="faq_count")
    def faq_count(self, obj: Tag) -> int:
        return obj.faq_count

    def has_merge_permission(self, request) -> bool:
        return self.has_change_permission(request) and self.has_delete_permission(request)

    @admin.action(description="Merge selected tags…", permissions=["merge"])
    def merge_selected_tags(self, request, queryset):
        tags = queryset.order_by("name")
        if len(tags) < 2:
            self.message_user(request, "Select at least two tags to merge.", messages.WARNING)
            return None
        form = TagMergeForm(request.POST if "apply" in request.POST else None, tags=tags)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            merged = [tag for tag in tags if tag.pk != keep.pk]
            merge_tags(keep=keep, merge=merged, actor=request.user)
            self.message_user(
                request,
                f"Merged {', '.join(tag.name for tag in merged)} into {keep.name}.",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge tags",
            "opts": self.opts,
            "tags": tags,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action_name": "merge_selected_tags",
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/questions/tag/merge_tags.html", context)


admin.site.register(Thank)
admin.site.register(QuestionClaim)
admin.site.register(DigestDelivery)
