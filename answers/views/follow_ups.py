"""Follow-ups: the asker's form under a reply, the moderators' list of pending ones
(their decisions are rows of answers/views/decisions.py), and the doctor's answer.

The asker's form screens the text as the ask form does (questions/views/asking.py):
personal data is an error on the text with the same message, and red flags stop the
first Send on the "Are you safe right now?" step with everything typed kept."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from answers.actions.errors import ActionNotAllowed
from answers.actions.follow_ups import (
    FollowUpLimitReached,
    answer_follow_up,
    follow_ups_left,
    limit_message,
    submit_follow_up,
)
from answers.actions.replying import replies_need_approval
from answers.forms import FollowUpForm, ReplyForm
from answers.models import Reply
from answers.permissions import can_answer_follow_up, can_follow_up
from answers.screening import screening_findings
from answers.views.access import doctor_required, moderator_required
from answers.views.moderation import MODERATION_PAGE_SIZE, moderation_counts
from questions.actions import PersonalDataFound
from questions.forms import personal_data_error
from questions.models import FollowUp
from questions.screening import notices
from questions.views.asking import help_numbers, needs_safety_check, with_safety_check


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_new(request, pk):
    """The asker's follow-up under reply `pk`; anyone else gets a 404 (the form does not
    tell who asked the question)."""
    reply = get_object_or_404(
        Reply.objects.published().to_questions().select_related("question__specialty", "doctor"),
        pk=pk,
    )
    if not can_follow_up(request.user, reply):
        raise Http404("No such reply.")
    question = reply.question
    left = follow_ups_left(question)
    form = FollowUpForm(request.POST or None) if left else None
    safety_check = form is not None and needs_safety_check(request, form)
    if form is not None and request.method == "POST" and form.is_valid() and not safety_check:
        try:
            follow_up = submit_follow_up(
                author=request.user, reply=reply, body=form.cleaned_data["body"]
            )
        except PersonalDataFound as found:
            form.add_error("body", personal_data_error(found.result.personal_data))
        except FollowUpLimitReached as refusal:
            messages.error(request, str(refusal))
            return redirect(question)
        except ActionNotAllowed as refusal:
            messages.error(request, str(refusal))
            return redirect(question)
        else:
            if follow_up.is_published:
                messages.success(
                    request, _("Your follow-up is published; the doctors who replied are told.")
                )
            else:
                messages.success(
                    request,
                    _("Thank you. Your follow-up will appear once a moderator has approved it."),
                )
            return redirect(question)
    red_flags = form.screening.red_flag_kinds if form is not None and form.is_bound else []
    context = {
        "question": question,
        "reply": reply,
        "form": form,
        "left": left,
        "limit_notice": "" if left else limit_message(),
        "red_flags": red_flags,
        "emergency_notices": notices(red_flags, help_numbers()),
    }
    return render(request, "answers/follow_up_form.html", with_safety_check(context, safety_check))


@moderator_required
@require_GET
def moderation_follow_ups(request):
    """Pending follow-ups on published questions: urgent first, then the longest waiting."""
    follow_ups = FollowUp.objects.moderation_queue()
    page = Paginator(follow_ups, MODERATION_PAGE_SIZE).get_page(request.GET.get("page"))
    for follow_up in page.object_list:
        follow_up.screening_findings = screening_findings(follow_up.screening)
    return render(
        request,
        "answers/moderation_follow_ups.html",
        {"page_obj": page, "counts": moderation_counts(), "tab": "follow-ups"},
    )


@doctor_required
@require_http_methods(["GET", "POST"])
def follow_up_answer(request, pk):
    """A doctor who replied to the question answers a published follow-up, with a
    preview and the answers other doctors published; other doctors get a 403."""
    doctor = request.doctor
    follow_up = get_object_or_404(
        FollowUp.objects.published().select_related("question__specialty", "reply__doctor"),
        pk=pk,
    )
    if not can_answer_follow_up(doctor, follow_up):
        raise PermissionDenied(_("Only the doctors who replied to this question can answer it."))
    # One query: the doctor's own answer (any state) and the others' published ones.
    answers = list(
        Reply.objects.filter(follow_up=follow_up)
        .filter(Q(doctor=doctor) | Q(status=Reply.Status.PUBLISHED))
        .select_related("doctor")
        .order_by("published_at", "id")
    )
    mine = [answer.pk for answer in answers if answer.doctor_id == doctor.pk]
    if mine:
        messages.info(request, _("You have already answered this follow-up; you can edit it."))
        return redirect("answers:reply-edit", pk=mine[0])
    form = ReplyForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = form.cleaned_data["body"]
        else:
            try:
                answer = answer_follow_up(
                    follow_up=follow_up, doctor=doctor, body=form.cleaned_data["body"]
                )
            except ActionNotAllowed as refusal:
                messages.error(request, str(refusal))
                return redirect("answers:dashboard")
            if answer.is_published:
                messages.success(request, _("Your answer is published."))
                return redirect(follow_up)
            messages.success(
                request, _("Thank you. Your answer will appear once a moderator has approved it.")
            )
            return redirect("answers:dashboard")
    return render(
        request,
        "answers/follow_up_answer.html",
        {
            "follow_up": follow_up,
            "question": follow_up.question,
            "reply": follow_up.reply,
            "form": form,
            "preview": preview,
            "will_be_held": replies_need_approval(doctor),
            "other_answers": answers,
            "doctor": doctor,
        },
    )
