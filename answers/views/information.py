"""Information requests: the doctor sends one from the reply page (or withdraws it), the
patient answers it from "My questions" (answers/actions/information.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from answers.actions.errors import ActionNotAllowed
from answers.actions.information import (
    answer_information_request,
    request_information,
    withdraw_information_request,
)
from answers.forms import InformationAnswerForm, InformationRequestForm, ReplyForm
from answers.models import InformationRequest, QuestionClaim
from answers.permissions import can_reply_to
from answers.views.access import doctor_required
from answers.views.doctors import reply_page
from questions.models import Question
from questions.screening import notices
from questions.views.asking import help_numbers, with_safety_check


@doctor_required
@require_POST
def information_request(request, pk):
    """Send the patient a question from the reply page; with errors, the reply page again
    with the text kept."""
    doctor = request.doctor
    question = get_object_or_404(
        Question.objects.published().select_related("specialty").prefetch_related("tags"), pk=pk
    )
    if not can_reply_to(doctor, question):
        raise PermissionDenied(_("This question is outside your specialties."))
    if question.replies.filter(doctor=doctor).exists():
        messages.info(request, _("You have already replied to this question; you can edit it."))
        return redirect("answers:reply", pk=question.pk)
    form = InformationRequestForm(request.POST)
    if form.is_valid():
        try:
            request_information(question=question, doctor=doctor, text=form.cleaned_data["text"])
        except ActionNotAllowed as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("Your question is sent to the patient. The question stays yours meanwhile."),
            )
        return redirect("answers:reply", pk=question.pk)
    claim = QuestionClaim.objects.active().filter(question=question).first()
    return reply_page(
        request,
        question=question,
        doctor=doctor,
        form=ReplyForm(),
        show_form=claim is not None and claim.doctor_id == doctor.pk,
        claim=claim,
        info_form=form,
        status=400,
    )


@doctor_required
@require_POST
def information_withdraw(request, pk):
    """The doctor takes back their open request and releases the question."""
    info = get_object_or_404(InformationRequest, pk=pk, doctor=request.doctor)
    try:
        withdraw_information_request(request=info, doctor=request.doctor)
    except ActionNotAllowed as refusal:  # pragma: no cover - the lookup is the doctor's own
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("Your request is withdrawn and the question is open to other doctors.")
        )
    return redirect("answers:reply", pk=info.question_id)


@login_required
@require_http_methods(["GET", "POST"])
def information_answer(request, pk):
    """The question's author answers a doctor's request (linked from "My questions" and
    the e-mail). Anyone else gets a 404, as for editing a question."""
    info = get_object_or_404(
        InformationRequest.objects.select_related("question__specialty", "doctor"), pk=pk
    )
    question = info.question
    if question.author_id != request.user.pk:
        raise Http404("No such request.")
    if not info.is_open or not question.is_published:
        return render(
            request, "answers/information_answer.html", {"info": info, "closed": True}, status=410
        )
    form = InformationAnswerForm(request.POST or None)
    valid = request.method == "POST" and form.is_valid()
    red_flags = form.red_flags if request.method == "POST" else []
    safety_check = valid and bool(red_flags) and not form.cleaned_data.get("confirm_urgent")
    if valid and not safety_check:
        try:
            answer_information_request(
                request=info,
                author=request.user,
                answer=form.cleaned_data["answer"],
                urgent=bool(red_flags),
            )
        except ActionNotAllowed as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Thank you. The doctor can now see your answer."))
        return redirect("questions:mine")
    if safety_check:
        form = InformationAnswerForm({"answer": form.cleaned_data["answer"], "confirm_urgent": "1"})
    context = {
        "info": info,
        "question": question,
        "form": form,
        "emergency_notices": notices(red_flags, help_numbers()),
    }
    return render(
        request,
        "answers/information_answer.html",
        with_safety_check(context, safety_check),
        status=400 if request.method == "POST" and not safety_check else 200,
    )
