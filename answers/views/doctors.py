"""Doctors' pages: the application, the dashboard of questions to answer, their history,
the digest opt-in, and answering or editing a reply."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from answers.actions.applying import apply_as_doctor
from answers.actions.claims import claim_question
from answers.actions.digests import set_digest_preference
from answers.actions.errors import ActionNotAllowed
from answers.actions.information import information_request_refusal
from answers.actions.replying import (
    confirm_reply_accuracy,
    edit_reply,
    replies_need_approval,
    submit_reply,
)
from answers.forms import (
    DashboardFilterForm,
    DigestForm,
    DoctorApplicationForm,
    InformationRequestForm,
    ReplyForm,
)
from answers.models import QuestionClaim, Reply, follow_ups_waiting_for
from answers.permissions import can_reply_to
from answers.views.access import doctor_required
from forum.models import DoctorProfile
from questions.models import Question

DASHBOARD_PAGE_SIZE = 20
DASHBOARD_FOLLOW_UPS = 20  # the oldest (urgent first); answering one brings up the next
HISTORY_PAGE_SIZE = 20


@login_required
@require_http_methods(["GET", "POST"])
def apply(request):
    try:
        # Through the user's relation, so the header's doctor check reuses it.
        profile = request.user.doctor_profile
    except DoctorProfile.DoesNotExist:
        profile = None
    can_apply = profile is None or profile.status in (
        DoctorProfile.Status.APPLIED,
        DoctorProfile.Status.REJECTED,
    )
    form = None
    if request.method == "POST":
        if not can_apply:
            raise PermissionDenied(_("Your doctor account has already been decided on."))
        form = DoctorApplicationForm(request.POST, instance=profile)
        if form.is_valid():
            apply_as_doctor(user=request.user, **form.cleaned_data)
            messages.success(request, _("Thank you. A moderator will review your application."))
            return redirect("answers:apply")
    elif can_apply:
        form = DoctorApplicationForm(instance=profile)
    return render(request, "answers/apply.html", {"profile": profile, "form": form})


@doctor_required
@require_GET
def dashboard(request):
    doctor = request.doctor
    specialties = list(doctor.specialties.all())
    filter_form = DashboardFilterForm(request.GET or None, specialties=specialties)
    selected = filter_form.selected()
    specialty_ids = [selected.pk] if selected else [s.pk for s in specialties]
    questions = (
        Question.objects.awaiting_reply(specialty_ids)
        .select_related("claim__doctor")
        .annotate(
            # The doctor's own reply, if any, and its state: a reply a moderator hid or
            # sent back is not "replied" (the question waits for an answer again).
            my_reply_id=Subquery(
                Reply.objects.to_questions()
                .filter(question=OuterRef("pk"), doctor=doctor)
                .order_by("-pk")
                .values("pk")[:1]
            ),
            my_reply_status=Subquery(
                Reply.objects.to_questions()
                .filter(question=OuterRef("pk"), doctor=doctor)
                .order_by("-pk")
                .values("status")[:1]
            ),
            has_held_reply=Exists(Reply.objects.held().filter(question=OuterRef("pk"))),
        )
    )
    page = Paginator(questions, DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    for question in page.object_list:
        question.active_claim = _active_claim(question)
    # Shown first: askers waiting on this doctor's own replies.
    follow_ups = list(follow_ups_waiting_for(doctor)[: DASHBOARD_FOLLOW_UPS + 1])
    return render(
        request,
        "answers/dashboard.html",
        {
            "doctor": doctor,
            "filter_form": filter_form,
            "page_obj": page,
            "follow_ups": follow_ups[:DASHBOARD_FOLLOW_UPS],
            "more_follow_ups": len(follow_ups) > DASHBOARD_FOLLOW_UPS,
            "query_string": urlencode({"specialty": selected.slug}) if selected else "",
            "digest_form": DigestForm(initial={"wants_digest": doctor.wants_digest}),
            "replies_held": replies_need_approval(doctor),
            "held_limit": settings.HELD_REPLIES_FOR_NEW_DOCTORS,
        },
    )


@doctor_required
@require_GET
def history(request):
    doctor = request.doctor
    replies = Reply.objects.filter(doctor=doctor).for_doctor_history()
    page = Paginator(replies, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    stats = Reply.objects.filter(doctor=doctor).history_stats(now=now)
    for row in page.object_list:
        row.accuracy_check_due = row.question.is_published and row.is_due_accuracy_check(now)
    return render(
        request, "answers/history.html", {"doctor": doctor, "page_obj": page, "stats": stats}
    )


@doctor_required
@require_POST
def reply_confirm_accurate(request, pk):
    """The doctor's "still accurate" button on an old reply of theirs (history page)."""
    reply = get_object_or_404(Reply, pk=pk)
    if reply.doctor_id != request.doctor.pk:
        raise PermissionDenied(_("Doctors can only confirm their own replies."))
    try:
        confirm_reply_accuracy(reply=reply, doctor=request.doctor)
    except ActionNotAllowed as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Thank you: the reply now shows it is still accurate."))
    return redirect("answers:history")


@doctor_required
@require_POST
def digest_preference(request):
    form = DigestForm(request.POST)
    form.is_valid()  # a missing checkbox is a valid "no"
    wants = bool(form.cleaned_data.get("wants_digest"))
    set_digest_preference(doctor=request.doctor, wants_digest=wants)
    if wants:
        messages.success(request, _("You will get an e-mail digest of new questions."))
    else:
        messages.success(request, _("You will no longer get the e-mail digest."))
    return redirect("answers:dashboard")


@doctor_required
@require_http_methods(["GET", "POST"])
def reply(request, pk):
    """A question to answer. Opening it (GET) changes nothing: the doctor claims it with
    "Start answering" or their first preview, both POSTs, so a link followed from another
    site cannot claim questions in a doctor's name."""
    doctor = request.doctor
    question = get_object_or_404(
        Question.objects.published().select_related("specialty").prefetch_related("tags"), pk=pk
    )
    if not can_reply_to(doctor, question):
        raise PermissionDenied(_("This question is outside your specialties."))
    mine = (
        Reply.objects.to_questions()
        .filter(question=question, doctor=doctor)
        .values_list("pk", flat=True)
    )
    if mine:
        messages.info(request, _("You have already replied to this question; you can edit it."))
        return redirect("answers:reply-edit", pk=mine[0])
    form = ReplyForm(request.POST or None)
    preview = None
    show_form = True
    if request.method == "GET":
        claim = QuestionClaim.objects.active().filter(question=question).select_related("doctor")
        claim = claim.first()
        # Nothing to start when claims are off; otherwise the form is for the claim holder.
        show_form = settings.CLAIM_MINUTES <= 0 or (
            claim is not None and claim.doctor_id == doctor.pk
        )
    elif "start" in request.POST:
        claim = claim_question(question=question, doctor=doctor)
        if claim is not None and claim.doctor_id == doctor.pk:
            return redirect("answers:reply", pk=question.pk)
        # Another doctor's claim is running (or claims are off): the claim is soft, so the
        # form opens all the same, with their claim shown.
        form = ReplyForm()
    elif form.is_valid() and "preview" not in request.POST:
        return _submit_reply(request, question=question, doctor=doctor, form=form)
    else:
        # A preview, or a reply with errors to fix: the doctor is answering, so it claims.
        preview = form.cleaned_data["body"] if form.is_valid() else None
        claim = claim_question(question=question, doctor=doctor)
    return reply_page(
        request,
        question=question,
        doctor=doctor,
        form=form,
        show_form=show_form,
        claim=claim,
        preview=preview,
    )


def reply_page(
    request, *, question, doctor, form, show_form, claim, preview=None, info_form=None, status=200
):
    """The reply page: the question, other doctors' replies, this doctor's information
    requests (and the form to send one when they may), and the reply form."""
    now = timezone.now()
    requests = list(question.information_requests.order_by("created_at", "id"))
    active_claim = claim if claim is not None and claim.expires_at > now else None
    info_refusal = information_request_refusal(
        doctor, question, active_claim=active_claim, requests=requests, has_replied=False, now=now
    )
    if info_refusal is None and info_form is None:
        info_form = InformationRequestForm()
    return render(
        request,
        "answers/reply_form.html",
        {
            "question": question,
            "form": form,
            "show_form": show_form,
            "claim_minutes": settings.CLAIM_MINUTES,
            "preview": preview,
            "claim": claim if claim is not None and claim.doctor_id != doctor.pk else None,
            "other_replies": _published_replies(question),
            "will_be_held": replies_need_approval(doctor),
            "held_limit": settings.HELD_REPLIES_FOR_NEW_DOCTORS,
            "information_requests": [r for r in requests if r.doctor_id == doctor.pk],
            # Asking is part of answering: the form shows once the doctor has started.
            "info_form": info_form if info_refusal is None and show_form else None,
            "info_refusal": info_refusal,
            "hold_hours": math.ceil(settings.INFORMATION_REQUEST_HOLD_HOURS),
        },
        status=status,
    )


def _submit_reply(request, *, question, doctor, form):
    try:
        new = submit_reply(question=question, doctor=doctor, body=form.cleaned_data["body"])
    except ActionNotAllowed as error:
        messages.error(request, str(error))
        return redirect("answers:dashboard")
    if new.is_published:
        messages.success(request, _("Your reply is published."))
        return redirect(new)
    messages.success(
        request, _("Thank you. Your reply will appear once a moderator has approved it.")
    )
    return redirect("answers:history")


@doctor_required
@require_http_methods(["GET", "POST"])
def reply_edit(request, pk):
    doctor = request.doctor
    reply = get_object_or_404(
        Reply.objects.select_related("question__specialty"),
        pk=pk,
        doctor=doctor,  # another doctor's reply is not found, whatever its state
        question__status=Question.Status.PUBLISHED,
    )
    question = reply.question
    form = ReplyForm(request.POST or None, initial={"body": reply.body})
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = form.cleaned_data["body"]
        else:
            try:
                reply = edit_reply(reply=reply, doctor=doctor, body=form.cleaned_data["body"])
            except ActionNotAllowed as error:
                messages.error(request, str(error))
                return redirect("answers:history")
            messages.success(request, _("Your reply is saved."))
            return redirect(reply if reply.is_published else reverse("answers:history"))
    return render(
        request,
        "answers/reply_form.html",
        {
            "question": question,
            "reply": reply,
            "form": form,
            "preview": preview,
            "show_form": True,
            "versions": reply.versions.all(),
            "other_replies": _published_replies(question).exclude(pk=reply.pk),
        },
    )


def _active_claim(question: Question) -> QuestionClaim | None:
    try:
        claim = question.claim
    except QuestionClaim.DoesNotExist:
        return None
    return claim if claim.is_active else None


def _published_replies(question: Question):
    return (
        Reply.objects.published().to_questions().filter(question=question).select_related("doctor")
    )
