"""The Q&A page, questions:detail (/questions/<pk>/<slug>/), and its short URL,
questions:detail-short: the question with its replies, attached articles, Similar Q&A and
Related FAQ (their routes: forum/urls.py, in the "questions" namespace).

The page shows what both apps store and reads it in one statement (answers/page_data.py),
so it lives in answers, the lowest layer allowed to know both; questions keeps the ask
flow, the tag pages and the ranking of Similar Q&A.
"""

import math
from datetime import datetime, time
from urllib.parse import quote

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect
from django.template import engines
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from answers.page_data import excerpt, load_articles, load_question, similar_questions
from answers.views.agreeing import viewer_agreements
from forum import roles
from forum.actions import log_moderation_event
from forum.models import ModerationEvent
from forum.security import require_two_factor
from questions.cache import PAGE_SECONDS, cached_page
from questions.middleware import PAGE_ATTRIBUTE
from questions.models import FollowUp, Question
from questions.structured_data import medical_web_page_data, qa_page_data

# Anonymous pages stay at most this long in the cache; writes invalidate them sooner
# through questions/cache.py.
PAGE_CACHE_SECONDS = PAGE_SECONDS
# The page is a Jinja2 template, chrome included (forum/site/jinja.py): on the busiest page
# it renders in a fraction of the time Django's engine takes.
QA_PAGE = SimpleLazyObject(lambda: engines["jinja2"].get_template("questions/question_detail.html"))


def _visible_question(request, pk: int) -> Question:
    """The question if this viewer may see it: published, or theirs, or they moderate."""
    question = load_question(pk)
    if question is None:
        raise Http404("No such question.")
    if question.is_published:
        return question
    user = request.user
    if user.is_authenticated and (question.author_id == user.pk or roles.is_moderator(user)):
        return question
    raise Http404("No such question.")


def _staff_read_refusal(request, question: Question, *, log: bool = True):
    """A question the public cannot see, read by a moderator rather than its author: only
    with two-factor done (else the redirect to that step), and each read of its page is
    logged (`log=False` for the short URL, which only redirects to the page)."""
    if question.is_published or question.author_id == request.user.pk:
        return None
    refusal = require_two_factor(request)
    if refusal is None and log:
        log_moderation_event(
            actor=request.user, action=ModerationEvent.Action.READ_UNPUBLISHED, target=question
        )
    return refusal


def question_redirect(request, pk):
    question = _visible_question(request, pk)
    # Even the canonical URL (its slug is the title) waits for two-factor.
    refusal = _staff_read_refusal(request, question, log=False)
    return refusal or redirect(question, permanent=True)


def question_detail(request, pk, slug):
    cacheable = _page_cacheable(request)
    if cacheable:
        lookup = getattr(request, "qa_page_lookup", None)  # AnonymousPageCacheMiddleware's
        cached, stamp = lookup[1:] if lookup and lookup[0] == pk else cached_page(pk)
        if cached is not None:
            if slug != cached["slug"]:
                return HttpResponsePermanentRedirect(cached["path"])
            return HttpResponse(cached["content"])
    question = _visible_question(request, pk)
    refusal = _staff_read_refusal(request, question)
    if refusal is not None:
        return refusal
    if slug != question.slug:
        return redirect(question, permanent=True)
    context = _qa_page_context(question)
    context.update(_viewer_thanks(request, question, context["replies"]))
    context.update(_viewer_follow_ups(request, question))
    context.update(viewer_agreements(request, question, context["replies"]))
    context["show_review_due"] = _shows_review_due(request, context)
    context["answer_wait"] = _answer_wait(request, question)
    response = HttpResponse(QA_PAGE.render(context, request))
    # A page that made a CSRF token carries a per-visitor cookie: never share it.
    if cacheable and question.is_published and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        entry = {
            "slug": question.slug,
            "path": question.get_absolute_url(),
            "content": response.content,
        }
        # Stored by AnonymousPageCacheMiddleware on the way out, with the final headers.
        seconds = _seconds_until_change(context["articles"], context["today"], timezone.now())
        setattr(response, PAGE_ATTRIBUTE, (pk, stamp, entry, seconds))
    return response


def _seconds_until_change(articles: list, today, now: datetime) -> int:
    """How long the page, drawn for `today`, may be kept: PAGE_CACHE_SECONDS, or less when
    an article's notice to readers that it is past its review date starts sooner. That
    changes the page with the calendar and no write, so no invalidation would drop the old
    copy. (A page drawn just before midnight and stored just after is kept a second.)"""
    seconds = PAGE_CACHE_SECONDS
    for article in articles:
        start = article.reader_notice_from()
        if start is None or start <= today:
            continue  # no notice, or shown already
        begins = timezone.make_aware(datetime.combine(start, time.min))
        seconds = min(seconds, max(1, math.ceil((begins - now).total_seconds())))
    return seconds


def _shows_review_due(request, context: dict) -> bool:
    """Editors and staff see "review due" on an overdue article (a role is looked up only
    when the page has one)."""
    today = context["today"]
    if not any(article.is_review_overdue(today) for article in context["articles"]):
        return False
    user = request.user
    return user.is_authenticated and (user.is_staff or roles.is_editor(user))


def _answer_wait(request, question: Question) -> dict | None:
    """For the asker of a question still waiting for its first answer: the answer-time
    target and, once it is past, what else they can do (never on a shared cached page:
    the asker is signed in)."""
    user = request.user
    if not (user.is_authenticated and question.author_id == user.pk):
        return None
    if not question.is_waiting_for_answer():
        return None
    return {
        "overdue": question.is_answer_overdue(timezone.now()),
        "answer_hours": math.ceil(settings.ANSWER_REMINDER_HOURS),
        "emergency_number": settings.EMERGENCY_NUMBER,
        "crisis_line_number": settings.CRISIS_LINE_NUMBER,
    }


def _page_cacheable(request) -> bool:
    """Only anonymous GETs with no pending flash messages share one cached page."""
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and not len(get_messages(request))
    )


def _viewer_thanks(request, question: Question, replies: list) -> dict:
    """For the asker only: which replies they may thank and have thanked (one query)."""
    if not (request.user.is_authenticated and question.author_id == request.user.pk):
        return {"viewer_is_asker": False, "thanked_reply_ids": set()}
    thanked = set(question.replies.filter(thanks__user=request.user).values_list("pk", flat=True))
    return {"viewer_is_asker": bool(replies), "thanked_reply_ids": thanked}


def _viewer_follow_ups(request, question: Question) -> dict:
    """For the asker only (one query): their follow-ups the public does not see (waiting
    for a moderator, or rejected with the reason) by reply, and whether they may add one
    (published, answered, not a duplicate, FOLLOW_UPS_PER_QUESTION not reached)."""
    if not (request.user.is_authenticated and question.author_id == request.user.pk):
        return {"viewer_follow_ups": {}, "viewer_can_follow_up": False}
    own: dict[int, list] = {}
    used = 0
    for follow_up in FollowUp.objects.filter(question_id=question.pk).only(
        "pk", "reply_id", "status", "body", "language", "rejection_reason", "created_at"
    ):
        if follow_up.status != FollowUp.Status.REJECTED:
            used += 1
        if follow_up.status in (FollowUp.Status.PENDING, FollowUp.Status.REJECTED):
            own.setdefault(follow_up.reply_id, []).append(follow_up)
    can = (
        question.is_published
        and question.is_answered
        and not question.is_duplicate
        and used < settings.FOLLOW_UPS_PER_QUESTION
    )
    return {"viewer_follow_ups": own, "viewer_can_follow_up": can}


def _qa_page_context(question: Question) -> dict:
    """Everything the Q&A page shows, in a fixed number of queries."""
    replies = question.page_replies  # read with the question
    tags = question.page_tags  # read with the question
    tag_ids = [tag.pk for tag in tags]
    articles = load_articles(question)
    heading = (
        f"{articles[0].title if articles else question.title} - {question.specialty.localized_name}"
    )
    canonical_url = settings.SITE_URL + question.get_absolute_url()
    return {
        "question": question,
        "replies": replies,
        "tags": tags,
        "articles": articles,
        "today": timezone.localdate(),
        "similar": similar_questions(question=question, tag_ids=tag_ids),
        "faqs": question.page_faqs,  # read with the question
        "viewer_follow_ups": {},
        "viewer_can_follow_up": False,
        "heading": heading,
        "canonical_url": canonical_url,
        # For the share links' query strings (quoted here once, not per link).
        "share_url": quote(canonical_url, safe=""),
        "share_title": quote(heading, safe=""),
        "meta_description": excerpt(question.body, 160),
        "structured_data": [
            qa_page_data(question=question, replies=replies, url=canonical_url, name=heading),
            *(
                medical_web_page_data(article=article, question=question, url=canonical_url)
                for article in articles
            ),
        ],
    }
