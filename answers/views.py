from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from answers.actions import (
    ActionNotAllowed,
    apply_as_doctor,
    approve_reply,
    claim_question,
    edit_reply,
    hide_reply,
    redact_and_approve_question,
    reject_doctor,
    replies_need_approval,
    restore_doctor,
    restore_reply,
    return_reply,
    set_digest_preference,
    submit_reply,
    suspend_doctor,
    thank_reply,
    verify_doctor,
)
from answers.forms import (
    DashboardFilterForm,
    DigestForm,
    DoctorApplicationForm,
    ModerationLogFilterForm,
    QuestionRedactForm,
    ReasonForm,
    ReplyForm,
)
from answers.models import FAQ, QuestionClaim, Reply
from answers.permissions import can_reply_to, can_thank_reply
from answers.screening import screening_findings
from forum import roles
from forum.models import DoctorProfile, ModerationEvent
from forum.redirects import redirect_to_next, safe_next
from questions.actions import approve_question, reject_question
from questions.models import Question


def faq_list(request):
    faqs = FAQ.objects.published().select_related("specialty")
    return render(request, "answers/faq_list.html", {"faqs": faqs})


# ---------------------------------------------------------------------------
# Doctors: application, dashboard, history, reply and edit.
# ---------------------------------------------------------------------------


def doctor_required(view):
    """Signed in (else the log-in page) as a verified doctor (else 403); sets request.doctor."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        doctor = roles.verified_doctor(request.user)
        if doctor is None:
            raise PermissionDenied("Only verified doctors can open this page.")
        request.doctor = doctor
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def moderator_required(view):
    """Signed in (else the log-in page) as a moderator (else 403)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not roles.is_moderator(request.user):
            raise PermissionDenied("Only moderators can open this page.")
        return view(request, *args, **kwargs)

    return login_required(wrapper)


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
            raise PermissionDenied("Your doctor account has already been decided on.")
        form = DoctorApplicationForm(request.POST, instance=profile)
        if form.is_valid():
            apply_as_doctor(user=request.user, **form.cleaned_data)
            messages.success(request, "Thank you. A moderator will review your application.")
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
            my_reply_id=Subquery(
                Reply.objects.filter(question=OuterRef("pk"), doctor=doctor).values("pk")[:1]
            ),
            has_held_reply=Exists(Reply.objects.held().filter(question=OuterRef("pk"))),
        )
    )
    page = Paginator(questions, DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    for question in page.object_list:
        question.active_claim = _active_claim(question)
    return render(
        request,
        "answers/dashboard.html",
        {
            "doctor": doctor,
            "filter_form": filter_form,
            "page_obj": page,
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
    stats = Reply.objects.filter(doctor=doctor).history_stats(now=timezone.now())
    return render(
        request, "answers/history.html", {"doctor": doctor, "page_obj": page, "stats": stats}
    )


@doctor_required
@require_POST
def digest_preference(request):
    form = DigestForm(request.POST)
    form.is_valid()  # a missing checkbox is a valid "no"
    wants = bool(form.cleaned_data.get("wants_digest"))
    set_digest_preference(doctor=request.doctor, wants_digest=wants)
    if wants:
        messages.success(request, "You will get an e-mail digest of new questions.")
    else:
        messages.success(request, "You will no longer get the e-mail digest.")
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
        raise PermissionDenied("This question is outside your specialties.")
    mine = Reply.objects.filter(question=question, doctor=doctor).values_list("pk", flat=True)
    if mine:
        messages.info(request, "You have already replied to this question; you can edit it.")
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
        },
    )


def _submit_reply(request, *, question, doctor, form):
    try:
        new = submit_reply(question=question, doctor=doctor, body=form.cleaned_data["body"])
    except ActionNotAllowed as error:
        messages.error(request, str(error))
        return redirect("answers:dashboard")
    if new.is_published:
        messages.success(request, "Your reply is published.")
        return redirect(new)
    messages.success(request, "Thank you. Your reply will appear once a moderator has approved it.")
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
            messages.success(request, "Your reply is saved.")
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
    return Reply.objects.published().filter(question=question).select_related("doctor")


# ---------------------------------------------------------------------------
# Moderators: queue of questions, replies and doctors; the audit log.
# ---------------------------------------------------------------------------


@moderator_required
@require_GET
def moderation(request):
    questions = Question.objects.moderation_queue().prefetch_related("tags")
    page = Paginator(questions, MODERATION_PAGE_SIZE).get_page(request.GET.get("page"))
    for question in page.object_list:
        question.screening_findings = screening_findings(question.screening)
    return render(
        request,
        "answers/moderation_questions.html",
        {"page_obj": page, "counts": _moderation_counts(), "tab": "questions"},
    )


@moderator_required
@require_GET
def moderation_replies(request):
    status = request.GET.get("status") or "held"
    if status not in REPLY_TABS:
        raise Http404("No such list.")
    replies = REPLY_TABS[status][1](Reply.objects.for_moderation())
    page = Paginator(replies, MODERATION_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "answers/moderation_replies.html",
        {
            "page_obj": page,
            "status": status,
            "tabs": [(key, label) for key, (label, _) in REPLY_TABS.items()],
            "query_string": urlencode({"status": status}),
            "counts": _moderation_counts(),
            "tab": "replies",
        },
    )


@moderator_required
@require_GET
def moderation_doctors(request):
    status = request.GET.get("status") or DoctorProfile.Status.APPLIED
    if status not in DoctorProfile.Status.values:
        raise Http404("No such list.")
    doctors = DoctorProfile.objects.filter(status=status).prefetch_related("specialties")
    if status == DoctorProfile.Status.APPLIED:
        doctors = doctors.order_by("created_at", "id")
    page = Paginator(doctors, MODERATION_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "answers/moderation_doctors.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": DoctorProfile.Status.choices,
            "query_string": urlencode({"status": status}),
            "counts": _moderation_counts(),
            "tab": "doctors",
        },
    )


@moderator_required
@require_GET
def moderation_log(request):
    form = ModerationLogFilterForm(request.GET or None)
    events = ModerationEvent.objects.select_related("actor", "target_type")
    if form.is_valid():
        if form.cleaned_data["action"]:
            events = events.filter(action=form.cleaned_data["action"])
        if form.cleaned_data["actor"]:
            events = events.filter(actor=form.cleaned_data["actor"])
    page = Paginator(events, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.target_url = _event_target_url(event)
    filters = {k: v for k, v in request.GET.items() if k in ("action", "actor") and v}
    return render(
        request,
        "answers/moderation_log.html",
        {
            "form": form,
            "page_obj": page,
            "query_string": urlencode(filters),
            "counts": _moderation_counts(),
            "tab": "log",
        },
    )


@moderator_required
@require_http_methods(["GET", "POST"])
def question_edit(request, pk):
    question = get_object_or_404(
        Question.objects.pending().select_related("specialty").prefetch_related("tags"), pk=pk
    )
    next_url = safe_next(request, "answers:moderation")
    form = QuestionRedactForm(
        request.POST or None, initial={"title": question.title, "body": question.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            redact_and_approve_question(
                question=question,
                moderator=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                reason=form.cleaned_data["reason"],
            )
        except ActionNotAllowed as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Question edited and published.")
        return redirect_to_next(request, "answers:moderation", next_url)
    question.screening_findings = screening_findings(question.screening)
    return render(
        request,
        "answers/moderation_question_edit.html",
        {
            "question": question,
            "form": form,
            "next_url": next_url,
            "counts": _moderation_counts(),
            "tab": "questions",
        },
    )


@moderator_required
@require_POST
def question_approve(request, pk):
    question = get_object_or_404(Question, pk=pk)
    if question.status not in (Question.Status.PENDING, Question.Status.PUBLISHED):
        return _refuse(request, "Only pending questions can be approved.", "answers:moderation")
    return _decide(
        request,
        target=question,
        act=lambda reason: approve_question(question=question, moderator=request.user),
        reason_required=False,
        done="Question approved and published.",
        default_next="answers:moderation",
    )


@moderator_required
@require_POST
def question_reject(request, pk):
    question = get_object_or_404(Question, pk=pk)
    if question.status not in (Question.Status.PENDING, Question.Status.REJECTED):
        return _refuse(request, "Only pending questions can be rejected.", "answers:moderation")
    return _decide(
        request,
        target=question,
        act=lambda reason: reject_question(
            question=question, moderator=request.user, reason=reason
        ),
        done="Question rejected; the author has been told why.",
        default_next="answers:moderation",
    )


@moderator_required
@require_POST
def reply_approve(request, pk):
    reply = get_object_or_404(Reply.objects.for_moderation(), pk=pk)
    return _decide(
        request,
        target=reply,
        act=lambda reason: approve_reply(reply=reply, moderator=request.user, reason=reason),
        reason_required=False,
        done="Reply approved and published.",
        default_next="answers:moderation-replies",
    )


@moderator_required
@require_POST
def reply_return(request, pk):
    reply = get_object_or_404(Reply.objects.for_moderation(), pk=pk)
    return _decide(
        request,
        target=reply,
        act=lambda reason: return_reply(reply=reply, moderator=request.user, reason=reason),
        done="Reply sent back to the doctor.",
        default_next="answers:moderation-replies",
    )


@moderator_required
@require_POST
def reply_hide(request, pk):
    reply = get_object_or_404(Reply.objects.for_moderation(), pk=pk)
    return _decide(
        request,
        target=reply,
        act=lambda reason: hide_reply(reply=reply, moderator=request.user, reason=reason),
        done="Reply hidden.",
        default_next="answers:moderation-replies",
    )


@moderator_required
@require_POST
def reply_restore(request, pk):
    reply = get_object_or_404(Reply.objects.for_moderation(), pk=pk)
    return _decide(
        request,
        target=reply,
        act=lambda reason: restore_reply(reply=reply, moderator=request.user, reason=reason),
        done="Reply restored.",
        default_next="answers:moderation-replies",
    )


@moderator_required
@require_POST
def doctor_verify(request, pk):
    doctor = get_object_or_404(DoctorProfile, pk=pk)
    return _decide(
        request,
        target=doctor,
        act=lambda reason: verify_doctor(doctor=doctor, moderator=request.user, reason=reason),
        reason_required=False,
        done=f"{doctor} is verified and can now answer.",
        default_next="answers:moderation-doctors",
    )


@moderator_required
@require_POST
def doctor_reject(request, pk):
    doctor = get_object_or_404(DoctorProfile, pk=pk)
    return _decide(
        request,
        target=doctor,
        act=lambda reason: reject_doctor(doctor=doctor, moderator=request.user, reason=reason),
        done="Application rejected.",
        default_next="answers:moderation-doctors",
    )


@moderator_required
@require_POST
def doctor_suspend(request, pk):
    doctor = get_object_or_404(DoctorProfile, pk=pk)
    return _decide(
        request,
        target=doctor,
        act=lambda reason: suspend_doctor(doctor=doctor, moderator=request.user, reason=reason),
        done=f"{doctor} is suspended.",
        default_next="answers:moderation-doctors",
    )


@moderator_required
@require_POST
def doctor_restore(request, pk):
    doctor = get_object_or_404(DoctorProfile, pk=pk)
    return _decide(
        request,
        target=doctor,
        act=lambda reason: restore_doctor(doctor=doctor, moderator=request.user, reason=reason),
        reason_required=False,
        done=f"{doctor} is restored.",
        default_next="answers:moderation-doctors",
    )


def _decide(request, *, target, act, done: str, default_next: str, reason_required=True):
    """Run one moderation decision from a POSTed reason form, then go back to the list.

    A missing reason re-renders the decision with the error, keeping what was typed.
    Where to go back to is vetted before anything runs, so no `next` can turn a
    committed decision into an error page.
    """
    next_url = safe_next(request, default_next)
    form = ReasonForm(request.POST, reason_required=reason_required)
    if not form.is_valid():
        return render(
            request,
            "answers/moderation_reason.html",
            {
                "form": form,
                "target": target,
                "target_kind": target._meta.model_name,
                "action_url": request.path,
                "next_url": next_url,
            },
        )
    try:
        act(form.cleaned_data["reason"])
    except ActionNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect_to_next(request, default_next, next_url)


def _refuse(request, message: str, default_next: str):
    messages.error(request, message)
    return redirect_to_next(request, default_next)


def _moderation_counts() -> dict[str, int]:
    return {
        "questions": Question.objects.pending().count(),
        "replies": Reply.objects.held().count(),
        "doctors": DoctorProfile.objects.filter(status=DoctorProfile.Status.APPLIED).count(),
    }


def _event_target_url(event: ModerationEvent) -> str:
    # Built from the ids alone, so the log needs no query per row.
    model = event.target_type.model
    if model == "question":
        return reverse("questions:detail-short", kwargs={"pk": event.target_id})
    if model == "doctorprofile":
        return reverse("answers:moderation-doctors")
    return ""


REPLY_TABS = {
    "held": ("Held for approval", lambda qs: qs.held().order_by("created_at", "id")),
    "returned": ("Sent back", lambda qs: qs.returned().order_by("-updated_at", "-id")),
    "published": ("Published", lambda qs: qs.published().order_by("-published_at", "-id")),
    "hidden": ("Hidden", lambda qs: qs.hidden_after_publishing().order_by("-updated_at", "-id")),
}
DASHBOARD_PAGE_SIZE = 20
HISTORY_PAGE_SIZE = 20
MODERATION_PAGE_SIZE = 20
LOG_PAGE_SIZE = 50


@login_required
@require_POST
def thank(request, pk):
    """The asker thanks the doctor for one reply (once; repeating changes nothing)."""
    reply = get_object_or_404(Reply.objects.select_related("question", "doctor"), pk=pk)
    if not can_thank_reply(request.user, reply):
        raise PermissionDenied("Only the person who asked can thank the doctor.")
    if thank_reply(reply=reply, user=request.user):
        messages.success(request, f"Thank you. Dr. {reply.doctor.display_name} will see it.")
    else:
        messages.info(request, "You have already thanked the doctor for this reply.")
    return redirect(reply.get_absolute_url())
