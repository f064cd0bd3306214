"""The live Markdown preview of the article and FAQ admins: a POST-only endpoint per
admin (guarded by its change permission) and the textarea static/js/admin_preview.js
drives."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import path, reverse_lazy
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from forum.markdown import render_markdown

MAX_PREVIEW_CHARS = 100_000


def markdown_preview_response(request) -> JsonResponse:
    """The sanitized HTML of the posted Markdown, exactly as a page would show it."""
    text = request.POST.get("text", "")
    if len(text) > MAX_PREVIEW_CHARS:
        return JsonResponse({"error": gettext("The text is too long to preview.")}, status=400)
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
