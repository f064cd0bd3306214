"""The moderation queue's pages: pending questions, replies and doctors by status, the
audit log, and editing a pending question before approving it. The decisions taken
from these lists are answers/views/decisions.py."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from answers.actions.errors import ActionNotAllowed
from answers.actions.moderation.duplicates import CLOSABLE, close_as_duplicate, reopen_duplicate
from answers.actions.moderation.questions import redact_and_approve_question
from answers.forms import DuplicateForm, ModerationLogFilterForm, QuestionRedactForm
from answers.models import Article, Reply
from answers.screening import screening_findings
from answers.views.access import moderator_required
from forum.models import DoctorProfile, ModerationEvent
from forum.redirects import redirect_to_next, safe_next
from questions.models import FollowUp, Question, Tag

REPLY_TABS = {
    "held": (gettext_lazy("Held for approval"), lambda qs: qs.held().order_by("created_at", "id")),
    "returned": (
        gettext_lazy("Sent back"),
        lambda qs: qs.returned().order_by("-updated_at", "-id"),
    ),
    "published": (
        gettext_lazy("Published"),
        lambda qs: qs.published().order_by("-published_at", "-id"),
    ),
    "hidden": (
        gettext_lazy("Hidden"),
        lambda qs: qs.hidden_after_publishing().order_by("-updated_at", "-id"),
    ),
}
MODERATION_PAGE_SIZE = 20
LOG_PAGE_SIZE = 50


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
        {"page_obj": page, "counts": moderation_counts(), "tab": "questions"},
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
            "counts": moderation_counts(),
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
            "counts": moderation_counts(),
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
    _describe_targets(
        page.object_list,
        # Asked only when an article is on the page (permissions cost two queries).
        can_edit_articles=lambda: request.user.has_perm("answers.change_article"),
    )
    filters = {k: v for k, v in request.GET.items() if k in ("action", "actor") and v}
    return render(
        request,
        "answers/moderation_log.html",
        {
            "form": form,
            "page_obj": page,
            "query_string": urlencode(filters),
            "counts": moderation_counts(),
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
            messages.success(request, _("Question edited and published."))
        return redirect_to_next(request, "answers:moderation", next_url)
    question.screening_findings = screening_findings(question.screening)
    return render(
        request,
        "answers/moderation_question_edit.html",
        {
            "question": question,
            "form": form,
            "next_url": next_url,
            "counts": moderation_counts(),
            "tab": "questions",
        },
    )


@moderator_required
@require_http_methods(["GET", "POST"])
def question_duplicate(request, pk):
    """Close a pending or published question as a duplicate of an answered one."""
    question = get_object_or_404(
        Question.objects.filter(status__in=CLOSABLE).select_related("specialty", "duplicate_of"),
        pk=pk,
    )
    next_url = safe_next(request, "answers:moderation")
    form = DuplicateForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            close_as_duplicate(
                question=question, original=form.cleaned_data["original"], moderator=request.user
            )
        except ActionNotAllowed as error:
            form.add_error("original", str(error))
        else:
            messages.success(request, _("Question closed as a duplicate; the asker was told."))
            return redirect_to_next(request, "answers:moderation", next_url)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "answers/moderation_question_duplicate.html",
        {
            "question": question,
            "form": form,
            "next_url": next_url,
            "counts": moderation_counts(),
            "tab": "questions",
        },
        status=status,
    )


@moderator_required
@require_POST
def question_reopen(request, pk):
    """Undo closing a question as a duplicate."""
    question = get_object_or_404(Question.objects.exclude(duplicate_of=None), pk=pk)
    reopen_duplicate(question=question, moderator=request.user)
    messages.success(request, _("Question reopened."))
    return redirect_to_next(request, "answers:moderation", safe_next(request, "answers:moderation"))


def moderation_counts() -> dict[str, int]:
    return {
        "questions": Question.objects.pending().not_duplicate().count(),
        "replies": Reply.objects.held().count(),
        "follow_ups": FollowUp.objects.moderation_queue().count(),
        "doctors": DoctorProfile.objects.filter(status=DoctorProfile.Status.APPLIED).count(),
    }


Action = ModerationEvent.Action

# Each log row reads as one sentence, one message per action, so each language puts the
# moderator, the verb and what they acted on in its own order: "mod@example.org hid
# Dr. Lin's reply to “…”." reads 「mod@example.org 隱藏了林醫師對「…」的回覆。」.
LOG_SENTENCES = {
    Action.APPROVE_QUESTION: gettext_lazy("%(actor)s approved %(target)s."),
    Action.REJECT_QUESTION: gettext_lazy("%(actor)s rejected %(target)s."),
    Action.EDIT_QUESTION: gettext_lazy("%(actor)s edited %(target)s."),
    Action.REMOVE_QUESTION: gettext_lazy("%(actor)s removed %(target)s."),
    Action.VERIFY_DOCTOR: gettext_lazy("%(actor)s verified %(target)s."),
    Action.REJECT_DOCTOR: gettext_lazy("%(actor)s turned down the application of %(target)s."),
    Action.SUSPEND_DOCTOR: gettext_lazy("%(actor)s suspended %(target)s."),
    Action.RESTORE_DOCTOR: gettext_lazy("%(actor)s restored the account of %(target)s."),
    Action.APPROVE_REPLY: gettext_lazy("%(actor)s approved %(target)s."),
    Action.RETURN_REPLY: gettext_lazy("%(actor)s sent back %(target)s."),
    Action.HIDE_REPLY: gettext_lazy("%(actor)s hid %(target)s."),
    Action.RESTORE_REPLY: gettext_lazy("%(actor)s restored %(target)s."),
    Action.PUBLISH_ARTICLE: gettext_lazy("%(actor)s published %(target)s."),
    Action.UNPUBLISH_ARTICLE: gettext_lazy("%(actor)s moved %(target)s back to draft."),
    Action.MERGE_TAGS: gettext_lazy("%(actor)s merged tags into %(target)s."),
    Action.READ_UNPUBLISHED: gettext_lazy("%(actor)s read %(target)s while it was unpublished."),
    Action.HIDE_QUESTION: gettext_lazy("%(actor)s hid %(target)s pending review."),
    Action.RESTORE_QUESTION: gettext_lazy("%(actor)s restored %(target)s."),
    Action.EDIT_REPLY: gettext_lazy("%(actor)s edited %(target)s."),
    Action.DISMISS_REPORTS: gettext_lazy("%(actor)s dismissed the reports of %(target)s."),
    # Logged without an actor: the log names no patient.
    Action.WITHDRAW_QUESTION: gettext_lazy("The author withdrew %(target)s."),
    Action.APPROVE_FOLLOW_UP: gettext_lazy("%(actor)s approved %(target)s."),
    Action.REJECT_FOLLOW_UP: gettext_lazy("%(actor)s rejected %(target)s."),
    Action.PUBLISH_TRUSTED_FOLLOW_UP: gettext_lazy(
        "%(target)s was published at once: its author is a trusted asker."
    ),
}
# Entries without an actor that readers' reports caused (answers/actions/reports.py: the
# threshold hides the item).
REPORTED_HIDES = {Action.HIDE_QUESTION, Action.HIDE_REPLY}

# What the log calls each kind of target it names by number (a purged question: "question
# 12 (deleted)"); other kinds go by their model's verbose name.
TARGET_KINDS = {
    "question": gettext_lazy("question"),
    "reply": gettext_lazy("reply"),
    "doctorprofile": gettext_lazy("doctor profile"),
    "article": gettext_lazy("article"),
    "tag": gettext_lazy("tag"),
    "followup": gettext_lazy("follow-up"),
}


def _describe_targets(events, *, can_edit_articles: Callable[[], bool]) -> None:
    """Give each event its `sentence`: who did what to which object, the object named as
    it is now and linked where it can be seen, with one query per kind of target on the
    page (at most six, whatever the number of rows). A target that is gone keeps the
    name the log stored when it acted."""
    ids: dict[str, set[int]] = {}
    for event in events:
        ids.setdefault(event.target_type.model, set()).add(event.target_id)
    found: dict[tuple[str, int], tuple[str, str]] = {}
    if "question" in ids:
        for pk, title in Question.objects.filter(pk__in=ids["question"]).values_list("pk", "title"):
            found["question", pk] = (
                _("the question “%(title)s”") % {"title": title},
                reverse("questions:detail-short", kwargs={"pk": pk}),
            )
    if "reply" in ids:
        replies = Reply.objects.filter(pk__in=ids["reply"]).select_related("doctor", "question")
        for reply in replies.only("pk", "doctor__display_name", "question__title"):
            found["reply", reply.pk] = (
                _("Dr. %(doctor)s's reply to “%(question)s”")
                % {"doctor": reply.doctor.display_name, "question": reply.question.title},
                reverse("questions:detail-short", kwargs={"pk": reply.question_id})
                + f"#reply-{reply.pk}",
            )
    if "followup" in ids:
        follow_ups = FollowUp.objects.filter(pk__in=ids["followup"]).select_related("question")
        for follow_up in follow_ups.only("pk", "question__title"):
            found["followup", follow_up.pk] = (
                _("a follow-up to “%(question)s”") % {"question": follow_up.question.title},
                reverse("questions:detail-short", kwargs={"pk": follow_up.question_id})
                + f"#follow-up-{follow_up.pk}",
            )
    if "doctorprofile" in ids:
        for doctor in DoctorProfile.objects.filter(pk__in=ids["doctorprofile"]).only(
            "pk", "display_name", "slug", "status"
        ):
            found["doctorprofile", doctor.pk] = (
                _("Dr. %(name)s") % {"name": doctor.display_name},
                doctor.get_absolute_url()
                if doctor.is_verified
                else reverse("answers:moderation-doctors"),
            )
    if "article" in ids:
        editable = can_edit_articles()
        for pk, title in Article.objects.filter(pk__in=ids["article"]).values_list("pk", "title"):
            url = reverse("admin:answers_article_change", args=[pk]) if editable else ""
            found["article", pk] = (
                _("the article “%(title)s”") % {"title": title},
                url,
            )
    if "tag" in ids:
        for pk, name in Tag.objects.filter(pk__in=ids["tag"]).values_list("pk", "name"):
            found["tag", pk] = (_("the tag “%(name)s”") % {"name": name}, "")
    for event in events:
        gone = _gone_target_name(event)
        name, url = found.get((event.target_type.model, event.target_id), (gone, ""))
        target = format_html('<a href="{}">{}</a>', url, name) if url else escape(name)
        if event.actor:
            actor = event.actor.email
        elif event.actor_label:
            actor = _("%(name)s (account closed)") % {"name": event.actor_label}
        elif event.action in REPORTED_HIDES:
            actor = _("Readers' reports")
        else:
            actor = _("An unknown account")
        sentence = LOG_SENTENCES.get(event.action)
        if sentence is None:  # an action this list does not know yet: its name, then
            sentence = _("%(actor)s: %(action)s, %(target)s.")
        # The message is ours; only the values are escaped, then put in.
        event.sentence = mark_safe(
            escape(str(sentence))
            % {"actor": escape(actor), "target": target, "action": event.get_action_display()}
        )


def _gone_target_name(event: ModerationEvent) -> str:
    """The name of a target that no longer exists: the one the log stored, or, for the
    entries retention scrubbed ("question 12 (deleted)", stored in English), the kind of
    object and its number in the reader's language."""
    model = event.target_type.model_class()
    if model is not None:
        with translation.override("en"):
            scrubbed = f"{model._meta.verbose_name} {event.target_id} (deleted)"
        if event.target_repr == scrubbed:
            kind = TARGET_KINDS.get(event.target_type.model, model._meta.verbose_name)
            return _("%(kind)s %(id)s (deleted)") % {"kind": kind, "id": event.target_id}
    if event.target_repr.endswith(" (deleted)"):
        return event.target_repr
    return _("%(name)s (deleted)") % {"name": event.target_repr}
