"""Admin for questions and tags, used by editors and moderators.

Status changes go through questions.actions (approve_question, reject_question) so
every decision writes a ModerationEvent, e-mails the author and refreshes caches.
answers/admin.py extends these classes with what lives in `answers` (replies,
attached articles, FAQ links, tag merging).

Saves call questions/changes.py for what they changed. The Specialty admin is forum's,
re-registered here with those calls: forum sits below questions and cannot import them.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from taggit.models import Tag as TaggitTag

from forum import admin as forum_admin
from forum import roles
from forum.actions import log_moderation_event
from forum.models import ModerationEvent, Specialty
from questions import changes
from questions.actions import approve_question, reject_question
from questions.models import Question, Tag, TaggedQuestion

# We use our own Tag model; taggit's default one stays empty and off the admin.
if admin.site.is_registered(TaggitTag):
    admin.site.unregister(TaggitTag)


def link_count(through, field: str = "tag"):
    """A subquery counting `through` rows pointing at the outer row (no join fan-out)."""
    rows = (
        through.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


class AnsweredFilter(admin.SimpleListFilter):
    title = gettext_lazy("answered")
    parameter_name = "answered"

    def lookups(self, request, model_admin):
        return [("yes", _("Answered")), ("no", _("Not answered"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.answered()
        if self.value() == "no":
            return queryset.unanswered()
        return queryset


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for rejecting"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=1000,
        help_text=gettext_lazy("Each question's author is e-mailed this reason."),
    )


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "specialty", "tag_list", "answered_at", "created_at"]
    list_filter = ["status", AnsweredFilter, "is_urgent", "specialty", "language"]
    search_fields = ["title"]
    # Newest first by primary key and no full count: the list stays fast with a million rows.
    ordering = ["-id"]
    show_full_result_count = False
    actions = ["publish_questions", "reject_questions"]
    # Only tags are edited here: the text is redacted and the status changed through the
    # moderation actions, which keep the audit log.
    fieldsets = [
        (None, {"fields": ["title", "body", "language", "specialty", "tags"]}),
        (gettext_lazy("Patient"), {"fields": ["nickname", "subject", "age_range", "sex"]}),
        (
            gettext_lazy("Moderation"),
            {
                "fields": [
                    "status",
                    "rejection_reason",
                    "is_urgent",
                    "screening",
                    "created_at",
                    "published_at",
                    "answered_at",
                ]
            },
        ),
    ]
    readonly_fields = [
        "title",
        "body",
        "specialty",
        "nickname",
        "subject",
        "age_range",
        "sex",
        "status",
        "rejection_reason",
        "is_urgent",
        "screening",
        "created_at",
        "published_at",
        "answered_at",
    ]

    def get_queryset(self, request):
        """Moderators (and superusers) see every question; everyone else in admin, that is
        editors, only published ones: they attach articles to public questions and have
        no business reading pending or rejected health questions. The change list, the
        change and history pages, the actions and the autocomplete all start here."""
        queryset = super().get_queryset(request).for_list()
        if not self.has_moderate_permission(request):
            queryset = queryset.published()
        return queryset

    def get_object(self, request, object_id, from_field=None):
        """A question outside get_queryset is a 404, the same as one that does not exist,
        so an editor learns neither its content nor that it is there."""
        question = super().get_object(request, object_id, from_field)
        if question is None:
            raise Http404("No such question.")
        return question

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A moderator opening an unpublished question here reads health data the public
        cannot see: logged, as on its page."""
        response = super().change_view(request, object_id, form_url, extra_context)
        question = getattr(response, "context_data", {}).get("original")
        if request.method == "GET" and question is not None and not question.is_published:
            log_moderation_event(
                actor=request.user, action=ModerationEvent.Action.READ_UNPUBLISHED, target=question
            )
        return response

    def get_list_filter(self, request):
        if self.has_moderate_permission(request):
            return self.list_filter
        return [item for item in self.list_filter if item != "status"]

    @admin.display(description=gettext_lazy("tags"))
    def tag_list(self, obj: Question) -> str:
        return ", ".join(sorted(tag.name for tag in obj.tags.all()))

    def has_add_permission(self, request):
        return False  # questions come from patients through the ask flow

    def has_delete_permission(self, request, obj=None):
        return False  # questions are rejected or removed, never deleted

    def has_moderate_permission(self, request) -> bool:
        return roles.is_moderator(request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = set(form.changed_data)
        what = {changes.PAGE}
        if {"title", "body", "language"} & changed:  # what pages and lists show of it
            what.add(changes.TEXT)
        for field in ("specialty", "tags"):
            if field in changed:
                # Similar Q&A is ranked by shared tags and specialty: its own list and
                # its neighbours' (through the old tags too) are ranked anew.
                what.add(field)
        before = [getattr(tag, "pk", None) for tag in form.initial.get("tags") or []]
        changes.question_changed(
            form.instance.pk,
            what=what,
            old_tag_ids=filter(None, before),
            listed=form.instance.is_published,
        )

    @admin.action(description=gettext_lazy("Publish selected questions"), permissions=["moderate"])
    def publish_questions(self, request, queryset):
        eligible = queryset.filter(status__in=[Question.Status.PENDING, Question.Status.REJECTED])
        done = 0
        for question in eligible:
            approve_question(question=question, moderator=request.user)
            done += 1
        self._report(request, done, queryset.count() - done, published=True)

    @admin.action(description=gettext_lazy("Reject selected questions…"), permissions=["moderate"])
    def reject_questions(self, request, queryset):
        form = RejectionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            eligible = queryset.filter(
                status__in=[Question.Status.PENDING, Question.Status.PUBLISHED]
            )
            done = 0
            for question in eligible:
                reject_question(
                    question=question, moderator=request.user, reason=form.cleaned_data["reason"]
                )
                done += 1
            self._report(request, done, queryset.count() - done, published=False)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reject questions"),
            "opts": self.opts,
            "questions": queryset.select_related("specialty"),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action_name": "reject_questions",
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/questions/question/reject_questions.html", context)

    def _report(self, request, done: int, skipped: int, *, published: bool) -> None:
        if published:
            message = ngettext("%(n)d question published.", "%(n)d questions published.", done)
        else:
            message = ngettext("%(n)d question rejected.", "%(n)d questions rejected.", done)
        message %= {"n": done}
        level = messages.SUCCESS
        if skipped:
            message += ngettext(
                " %(n)d skipped: its status does not allow it.",
                " %(n)d skipped: their status does not allow it.",
                skipped,
            ) % {"n": skipped}
            level = messages.WARNING
        self.message_user(request, message, level)


class TagAdminForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug", "topic", "description"]

    def clean_topic(self):
        """One level of links: a tag joins a topic that is not itself linked elsewhere
        (the field offers only those: Tag.topic's limit_choices_to), and a tag others are
        linked to stays a topic of its own."""
        topic = self.cleaned_data.get("topic")
        if topic is None:
            return None
        if self.instance.pk and topic.pk == self.instance.pk:
            raise forms.ValidationError(_("A tag cannot be linked to itself."))
        if self.instance.pk and self.instance.linked_tags.exists():
            raise forms.ValidationError(
                _(
                    "Other tags are linked to this one as their topic: link them to "
                    "“%(topic)s” first."
                )
                % {"topic": topic.name}
            )
        return topic

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Tag.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).first()
        if clash and clash.name != name:
            raise forms.ValidationError(
                _("The tag “%(name)s” differs only in capitals: merge the two tags instead.")
                % {"name": clash.name}
            )
        return name

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if Tag.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another tag already uses this slug."))
        return slug


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    form = TagAdminForm
    list_display = ["name", "slug", "topic", "question_count"]
    list_select_related = ["topic"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["topic"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=link_count(TaggedQuestion))

    @admin.display(description=gettext_lazy("questions"), ordering="question_count")
    def question_count(self, obj: Tag) -> int:
        return obj.question_count

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "topic" in form.changed_data:  # linked or unlinked as one topic with another
            changes.tag_topic_changed(obj.pk, old_topic_id=form.initial.get("topic"))
        else:
            changes.tag_changed([obj.pk])  # tag names and links show on many Q&A pages

    def delete_model(self, request, obj):
        # Before the links go: questions losing a tag share fewer with others.
        changes.tag_changed([obj.pk], relinked=True)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        changes.tag_changed(list(queryset.values_list("pk", flat=True)), relinked=True)
        super().delete_queryset(request, queryset)


# Specialties: the model and its admin are forum's; what a change refreshes is known here.
admin.site.unregister(Specialty)


class RefreshesOnChange:
    """Admin mixin: after a save (also of each list_editable row: Django calls
    save_related for those too) or a delete, `refresh(obj)` calls the change function
    of questions/changes.py for that model."""

    def refresh(self, obj) -> None:
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # many-to-many saved too
        self.refresh(form.instance)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.refresh(obj)

    def delete_queryset(self, request, queryset):
        objects = list(queryset)
        super().delete_queryset(request, queryset)
        for obj in objects:
            self.refresh(obj)


@admin.register(Specialty)
class SpecialtyAdmin(RefreshesOnChange, forum_admin.SpecialtyAdmin):
    def refresh(self, obj) -> None:
        changes.specialty_changed(obj)
