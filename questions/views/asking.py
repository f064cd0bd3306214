"""The ask flow: the form, its screening as the patient types, the safety step, the
verification reminder and the page after sending."""

import logging
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from forum import roles
from forum.legal import record_consent
from forum.middleware import DATABASE_ERRORS, RETRY_AFTER_SECONDS, database_unavailable_page
from questions.actions import (
    DailyQuestionLimitReached,
    PersonalDataFound,
    submit_question,
)
from questions.forms import AskForm, KeptAskForm, personal_data_error, screen_submitted_text
from questions.limits import next_question_allowed_at
from questions.models import Question, Tag
from questions.permissions import (
    has_verified_email,
    is_question_author,
)
from questions.screening import NUMBER_NAMES, notices, screen

logger = logging.getLogger("questions.patients")


PATIENT_PAGE_SIZE = 20


MEDIAN_WINDOW = timedelta(days=90)


def _limit_message(allowed_at) -> str:
    when = formats.date_format(timezone.localtime(allowed_at), "DATETIME_FORMAT")
    return ngettext(
        "You have asked %(count)d question in the last 24 hours, which is the daily limit. "
        "You can send this one after %(when)s; what you typed is kept below.",
        "You have asked %(count)d questions in the last 24 hours, which is the daily limit. "
        "You can send this one after %(when)s; what you typed is kept below.",
        settings.QUESTIONS_PER_DAY,
    ) % {"count": settings.QUESTIONS_PER_DAY, "when": when}


def _personal_data_message(exc) -> ValidationError:
    return personal_data_error(exc.result.personal_data)


def _popular_tag_names(limit: int = 12) -> list[str]:
    """The most used tags, as suggestions on the ask form (cached for ten minutes)."""

    def compute() -> list[str]:
        return list(
            Tag.objects.annotate(uses=Count("question_links"))
            .filter(uses__gt=0)
            .order_by("-uses", "name")
            .values_list("name", flat=True)[:limit]
        )

    return cache.get_or_set("questions:popular-tag-names", compute, 600)


def help_numbers() -> dict[str, str]:
    """The numbers the emergency notices give, by setting name."""
    return {name: getattr(settings, name, "") for name in NUMBER_NAMES}


def _ask_context(form, *, question=None) -> dict:
    """The ask/edit page: the form, an emergency notice for red flags in what was typed
    (even if the form is invalid), and tag suggestions."""
    red_flags = screen_submitted_text(form.data).red_flag_kinds if form.is_bound else []
    return {
        "form": form,
        "question": question,
        "red_flags": red_flags,
        "emergency_notices": notices(red_flags, help_numbers()),
        "popular_tags": _popular_tag_names(),
    }


def needs_safety_check(request, form) -> bool:
    """Red flags stop the first Send (or Save) on a page that puts the help numbers first
    ("Are you safe right now?"), with everything typed kept and a button that sends it
    anyway (the form's confirm_urgent)."""
    return (
        request.method == "POST"
        and form.is_valid()
        and form.screening.is_urgent
        and not form.cleaned_data.get("confirm_urgent")
    )


def with_safety_check(context: dict, safety_check: bool) -> dict:
    context["safety_check"] = safety_check
    if safety_check:
        context["safety_numbers"] = list(
            {
                n["number"]: n for notice in context["emergency_notices"] for n in notice["numbers"]
            }.values()
        )
    return context


SAVE_FAILED_MESSAGE = gettext_lazy(
    "We could not save your question because of a problem on our side. Your text is still "
    "here: please try sending it again in a minute."
)


def _unless_database_fails(function, default=None):
    """function() or, when the database cannot answer, `default`."""

    def call():
        try:
            return function()
        except DATABASE_ERRORS:
            return default

    return call


def _ask_retry_response(request, form, *, viewer):
    """The patient's form again, with everything typed, when the database failed: a 503
    rendered without the database, which may still be down. `form` is either validated
    (saving failed) or a KeptAskForm (the database failed before the form was checked);
    `viewer` is the patient once loaded, else an anonymous user (loading needs the
    database). Specialty choices show only the chosen one, tag suggestions and the
    header's role links come from what is already loaded, the cache, or nothing, and
    flash messages wait for the next page."""
    form.add_error(None, SAVE_FAILED_MESSAGE)
    chosen = form.cleaned_data.get("specialty")
    posted = form.data.get("specialty", "")
    if chosen:
        kept_choice = [(chosen.pk, chosen.localized_name)]
    else:  # its name is in the database: show the posted value, still selected
        kept_choice = [(posted, gettext("The specialty you chose"))] if posted else []
    form.fields["specialty"].choices = [("", form.fields["specialty"].empty_label), *kept_choice]
    context = {
        "form": form,
        "question": None,
        "red_flags": screen_submitted_text(form.data).red_flag_kinds,
        "emergency_notices": notices(
            screen_submitted_text(form.data).red_flag_kinds, help_numbers()
        ),
        # Without Redis the cache is in the database too.
        "popular_tags": _unless_database_fails(
            lambda: cache.get("questions:popular-tag-names") or [], []
        ),
        "limit_notice": "",
        "user": viewer,
        "messages": [],
        "viewer_is_moderator": _unless_database_fails(lambda: roles.is_moderator(viewer), False),
        "viewer_is_editor": _unless_database_fails(lambda: roles.is_editor(viewer), False),
        "viewer_doctor": _unless_database_fails(lambda: roles.verified_doctor(viewer)),
    }
    response = render(request, "questions/ask.html", context, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Health data, and the security middleware cannot tell a signed-in page now.
    patch_cache_control(response, private=True, no_store=True)
    return response


def _ask_database_unavailable(request):
    """The database failed before or inside `ask` without the view catching it (most
    often at the session or user lookup of login_required, when it was down before the
    patient pressed Send). A POST gets its form back as typed; nothing was stored, and
    the form's CSRF token comes from the cookie, so resending works once the database is
    back. Anything else gets the generic 503 page (forum/middleware.py)."""
    if request.method != "POST":
        return None
    return _ask_retry_response(request, KeptAskForm(request.POST), viewer=AnonymousUser())


@database_unavailable_page(_ask_database_unavailable)
@login_required
def ask(request):
    if not has_verified_email(request.user):
        return render(request, "questions/ask_verify_email.html", status=403)
    initial = {}
    if request.method != "POST":
        last_nickname = (
            Question.objects.by_author(request.user).values_list("nickname", flat=True).first()
        )
        initial = {"nickname": last_nickname} if last_nickname else {}
    form = AskForm(request.POST or None, author=request.user, initial=initial)
    safety_check = needs_safety_check(request, form)
    if request.method == "POST" and form.is_valid() and not safety_check:
        try:
            question = submit_question(author=request.user, **form.question_data())
        except DailyQuestionLimitReached as exc:
            form.add_error(None, _limit_message(exc.allowed_at))
        except PersonalDataFound as exc:
            form.add_error(None, _personal_data_message(exc))
        except DATABASE_ERRORS as exc:
            # submit_question is one transaction: nothing of the question was stored.
            logger.error("question not saved, database unavailable: %s", type(exc).__name__)
            return _ask_retry_response(request, form, viewer=request.user)
        else:
            if "privacy_consent" in form.fields:
                record_consent(request.user)
            return redirect("questions:asked", pk=question.pk)
    context = with_safety_check(_ask_context(form), safety_check)
    allowed_at = None if form.non_field_errors() else next_question_allowed_at(request.user)
    context["limit_notice"] = _limit_message(allowed_at) if allowed_at else ""
    return render(request, "questions/ask.html", context)


SCREEN_TEXT_LIMITS = {
    "title": AskForm.base_fields["title"].max_length,
    "body": AskForm.base_fields["body"].max_length,
}


@require_POST
def screen_text(request):
    """JSON for the ask form while it is typed: the red-flag categories in the title and
    text and what to tell the patient, {"categories": [...], "notices": [...]}.

    For those who may ask (signed in, e-mail confirmed), CSRF-checked like every POST,
    each field no longer than the form accepts, and rate-limited per patient and address
    (ACCOUNT_RATE_LIMITS["screen_text"]). Nothing is stored."""
    if not request.user.is_authenticated or not has_verified_email(request.user):
        return JsonResponse(
            {"error": gettext("Sign in with a confirmed e-mail address to ask a question.")},
            status=403,
        )
    fields = {name: request.POST.get(name, "") for name in SCREEN_TEXT_LIMITS}
    too_long = [name for name, limit in SCREEN_TEXT_LIMITS.items() if len(fields[name]) > limit]
    if too_long:
        return JsonResponse(
            {"error": gettext("The text is longer than a question can be.")}, status=400
        )
    if not ratelimit.consume(request, action="screen_text", user=request.user):
        return JsonResponse(
            {"error": gettext("Too many checks in a short time; please wait a minute.")},
            status=429,
        )
    kinds = screen(f"{fields['title']}\n{fields['body']}").red_flag_kinds
    response = JsonResponse({"categories": kinds, "notices": notices(kinds, help_numbers())})
    patch_cache_control(response, private=True, no_store=True)  # about someone's health
    return response


@login_required
@require_POST
def resend_verification(request):
    """Send the e-mail confirmation link again (at most once every three minutes)."""
    user = request.user
    address = (
        EmailAddress.objects.filter(user=user, verified=False).order_by("-primary", "id").first()
    )
    if address is None and not has_verified_email(user) and user.email:
        address = EmailAddress.objects.create(user=user, email=user.email, primary=True)
    if address is None:
        messages.info(request, gettext("Your e-mail address is already confirmed."))
    elif cache.add(f"questions:resend-verification:{user.pk}", 1, 180):
        address.send_confirmation(request)
        messages.success(
            request,
            gettext(
                "We sent a new confirmation link to your e-mail address. "
                "It can take a few minutes; please check your spam folder too."
            ),
        )
    else:
        messages.info(
            request,
            gettext(
                "We sent a link a moment ago. Please wait a few minutes before asking for another."
            ),
        )
    return redirect("questions:ask")


def _author_question_or_404(request, pk: int, queryset=None) -> Question:
    if queryset is None:
        queryset = Question.objects.select_related("specialty")
    question = get_object_or_404(queryset, pk=pk)
    if not is_question_author(request.user, question):
        raise Http404("No such question.")
    return question


def _format_wait(wait: timedelta) -> str:
    hours = wait.total_seconds() / 3600
    if hours < 1:
        return gettext("under an hour")
    if hours < 48:
        n = round(hours)
        return ngettext("about %(n)d hour", "about %(n)d hours", n) % {"n": n}
    n = round(hours / 24)
    return ngettext("about %(n)d day", "about %(n)d days", n) % {"n": n}


@login_required
def ask_done(request, pk):
    """The confirmation after asking: what happens next and how long answers take."""
    question = _author_question_or_404(request, pk)
    median = (
        Question.objects.published()
        .filter(specialty_id=question.specialty_id)
        .answered_since(timezone.now() - MEDIAN_WINDOW)
        .median_answer_time()
    )
    return render(
        request,
        "questions/ask_done.html",
        {
            "question": question,
            "median_wait": _format_wait(median) if median is not None else "",
            "red_flags": [flag["kind"] for flag in question.screening.get("red_flags", [])],
            "emergency_notices": notices(
                [flag["kind"] for flag in question.screening.get("red_flags", [])],
                help_numbers(),
            ),
        },
    )
