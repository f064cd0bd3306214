"""The tag admin of `questions`, extended with FAQ counts and merging tags
(answers/actions/tags.py)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from answers.actions.tags import merge_tags
from answers.models import TaggedFAQ
from questions import admin as questions_admin
from questions.models import Tag


class TagMergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Tag.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label=_("Tag to keep"),
        help_text=_(
            "Every question and FAQ of the other tags moves to this one; the others are deleted."
        ),
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

    @admin.display(description=_("FAQs"), ordering="faq_count")
    def faq_count(self, obj: Tag) -> int:
        return obj.faq_count

    def has_merge_permission(self, request) -> bool:
        return self.has_change_permission(request) and self.has_delete_permission(request)

    @admin.action(description=_("Merge selected tags…"), permissions=["merge"])
    def merge_selected_tags(self, request, queryset):
        tags = queryset.order_by("name")
        if len(tags) < 2:
            self.message_user(
                request, gettext("Select at least two tags to merge."), messages.WARNING
            )
            return None
        form = TagMergeForm(request.POST if "apply" in request.POST else None, tags=tags)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            merged = [tag for tag in tags if tag.pk != keep.pk]
            merge_tags(keep=keep, merge=merged, actor=request.user)
            self.message_user(
                request,
                gettext("Merged %(names)s into %(keep)s.")
                % {"names": ", ".join(tag.name for tag in merged), "keep": keep.name},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Merge tags"),
            "opts": self.opts,
            "tags": tags,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action_name": "merge_selected_tags",
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/questions/tag/merge_tags.html", context)
