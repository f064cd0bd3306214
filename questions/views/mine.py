"""The patient's own pages: "My questions", editing a pending question, the export of
everything the site holds about them, and closing the account."""

import logging
import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from questions.actions import (
    PersonalDataFound,
    QuestionNotEditable,
    QuestionNotWithdrawable,
    delete_account,
    edit_pending_question,
)
from questions.actions import withdraw_question as withdraw
from questions.forms import AskForm, DeleteAccountForm
from questions.models import FollowUp, Question
from questions.permissions import (
    can_delete_own_account,
    can_edit_question,
)
from questions.views.asking import (
    PATIENT_PAGE_SIZE,
    _ask_context,
    _author_question_or_404,
    _personal_data_message,
    needs_safety_check,
    with_safety_check,
)

logger = logging.getLogger("questions.patients")


def answer_wait(now) -> dict:
    """What the asker is told about the answer-time target (ANSWER_REMINDER_HOURS), and
    the numbers to call when a wait is too long for their health."""
    return {
        "answer_hours": math.ceil(settings.ANSWER_REMINDER_HOURS),
        "emergency_number": settings.EMERGENCY_NUMBER,
        "crisis_line_number": settings.CRISIS_LINE_NUMBER,
    }


def _follow_ups_with_answers():
    """The asker's follow-ups, oldest first, each with `answered_by` (the display name of
    the doctor of its first published answer, or None) and `answer_count` (its published
    answers). The answers are answers' Reply (a layer above), reached by the relation it
    declares on FollowUp."""
    answers = FollowUp._meta.get_field("answers").related_model
    published = answers.objects.published().filter(follow_up=OuterRef("pk"))
    return FollowUp.objects.annotate(
        answered_by=Subquery(
            published.order_by("published_at", "id").values("doctor__display_name")[:1]
        ),
        answer_count=Subquery(
            published.order_by().values("follow_up").annotate(n=Count("pk")).values("n")[:1]
        ),
    ).order_by("created_at", "id")


@login_required
def my_questions(request):
    # Doctors' information requests with their doctors: one query for the page, however
    # many questions and requests. The model is answers' (a layer above), reached by the
    # relation it declares, as the export reaches replies.
    requests = Question._meta.get_field("information_requests").related_model
    # The follow-ups, each with who answered it (published answers only): one query more.
    questions = (
        Question.objects.by_author(request.user)
        .select_related("specialty")
        .prefetch_related(
            Prefetch("information_requests", queryset=requests.objects.select_related("doctor")),
            Prefetch("follow_ups", queryset=_follow_ups_with_answers()),
        )
    )
    page = Paginator(questions.order_by("-created_at", "-id"), PATIENT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    for question in page.object_list:
        question.answer_overdue = question.is_answer_overdue(now)
    return render(request, "questions/mine.html", {"page_obj": page, **answer_wait(now)})


@login_required
def edit_question(request, pk):
    question = _author_question_or_404(
        request, pk, Question.objects.select_related("specialty").prefetch_related("tags")
    )
    if not can_edit_question(request.user, question):
        return render(request, "questions/edit_closed.html", {"question": question}, status=403)
    form = AskForm(request.POST or None, author=request.user, question=question)
    # The same safety step as asking: red flags in the edited text put the help numbers
    # first, and saving needs a second, deliberate press.
    safety_check = needs_safety_check(request, form)
    if request.method == "POST" and form.is_valid() and not safety_check:
        try:
            edit_pending_question(question=question, author=request.user, **form.question_data())
        except PersonalDataFound as exc:
            form.add_error(None, _personal_data_message(exc))
            return render(request, "questions/ask.html", _ask_context(form, question=question))
        except QuestionNotEditable:
            question.refresh_from_db()
            return render(request, "questions/edit_closed.html", {"question": question}, status=403)
        messages.success(
            request, gettext("Your changes are saved. Your question is waiting for review.")
        )
        return redirect("questions:mine")
    context = with_safety_check(_ask_context(form, question=question), safety_check)
    return render(request, "questions/ask.html", context)


@login_required
def withdraw_question(request, pk):
    """The author takes one question back (questions.actions.withdraw_question): a page
    that says what goes, then a POST. Anyone else gets a 404, as for editing."""
    question = _author_question_or_404(request, pk, Question.objects.select_related("specialty"))
    if request.method == "POST":
        try:
            withdraw(question=question, author=request.user)
        except QuestionNotWithdrawable:
            pass  # withdrawn meanwhile (a second tab): the outcome the author asked for
        messages.success(
            request,
            gettext("Your question “%(title)s” is withdrawn and deleted, with its answers.")
            % {"title": question.title},
        )
        return redirect("questions:mine")
    replies = question.replies.filter(status="published").count()
    return render(
        request, "questions/withdraw.html", {"question": question, "published_replies": replies}
    )


def _iso(value) -> str | None:
    return value.isoformat() if value else None


@login_required
@require_GET
def export_my_data(request):
    """Everything the patient asked, and the doctors' published replies, as a JSON file."""
    user = request.user
    questions = (
        Question.objects.by_author(user)
        .select_related("specialty")
        .prefetch_related("tags", "replies__doctor")
        .order_by("created_at", "id")
    )
    data = {
        "exported_at": timezone.now().isoformat(),
        "site": settings.SITE_URL,
        "account": {"email": user.email, "date_joined": _iso(user.date_joined)},
        "questions": [
            {
                "id": q.pk,
                "url": settings.SITE_URL + q.get_absolute_url(),
                "status": q.status,
                "nickname": q.nickname,
                "about": q.subject,
                "age_range": q.age_range,
                "sex": q.sex,
                "specialty": q.specialty.name,
                "title": q.title,
                "text": q.body,
                "tags": sorted(tag.name for tag in q.tags.all()),
                "urgent": q.is_urgent,
                "rejection_reason": q.rejection_reason,
                "asked_at": _iso(q.created_at),
                "published_at": _iso(q.published_at),
                "answered_at": _iso(q.answered_at),
                "replies": [
                    {
                        "doctor": f"Dr. {r.doctor.display_name}",
                        "text": r.body,
                        "published_at": _iso(r.published_at),
                        "thanks": r.thanks_count,
                    }
                    for r in q.replies.all()
                    if r.status == "published"
                ],
            }
            for q in questions
        ],
    }
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    filename = f"my-questions-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def delete_my_account(request):
    if not can_delete_own_account(request.user):
        return render(request, "questions/delete_account.html", {"allowed": False}, status=403)
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        result = delete_account(user=user, keep_published_questions=form.keep_published_questions)
        logout(request)
        if result.kept_questions:
            messages.success(
                request,
                gettext(
                    "Your account is deleted. Your published questions stay online with no "
                    "link to you."
                ),
            )
        else:
            messages.success(request, gettext("Your account and your questions are deleted."))
        return redirect("forum:home")
    counts = Question.objects.by_author(request.user).aggregate(
        published=Count("pk", filter=Q(status=Question.Status.PUBLISHED)), total=Count("pk")
    )
    return render(
        request, "questions/delete_account.html", {"allowed": True, "form": form, **counts}
    )
