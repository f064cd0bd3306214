"""Pages of answers anyone may reach: the FAQ list, and the asker's thanks for a reply."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from answers.actions.thanks import thank_reply
from answers.models import FAQ, Reply
from answers.permissions import can_thank_reply


def faq_list(request):
    faqs = FAQ.objects.published().select_related("specialty")
    return render(request, "answers/faq_list.html", {"faqs": faqs})


@login_required
@require_POST
def thank(request, pk):
    """The asker thanks the doctor for one reply (once; repeating changes nothing)."""
    reply = get_object_or_404(Reply.objects.select_related("question", "doctor"), pk=pk)
    if not can_thank_reply(request.user, reply):
        raise PermissionDenied(_("Only the person who asked can thank the doctor."))
    if thank_reply(reply=reply, user=request.user):
        messages.success(
            request,
            _("Thank you. Dr. %(name)s will see it.") % {"name": reply.doctor.display_name},
        )
    else:
        messages.info(request, _("You have already thanked the doctor for this reply."))
    return redirect(reply.get_absolute_url())
