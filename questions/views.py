from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render

from forum import roles
from questions.cache import page_cache_key
from questions.models import Question, Tag
from questions.similar import excerpt, related_faqs, similar_questions
from questions.structured_data import medical_web_page_data, qa_page_data

# The Q&A page (questions:detail) ------------------------------------------------------

# Anonymous pages stay at most this long in the cache; writes invalidate them sooner
# through questions/cache.py.
PAGE_CACHE_SECONDS = 10 * 60


def _visible_question(request, pk: int) -> Question:
    """The question if this viewer may see it: published, or theirs, or they moderate."""
    question = get_object_or_404(Question.objects.select_related("specialty"), pk=pk)
    if question.is_published:
        return question
    user = request.user
    if user.is_authenticated and (question.author_id == user.pk or roles.is_moderator(user)):
        return question
    raise Http404("No such question.")


def question_redirect(request, pk):
    question = _visible_question(request, pk)
    return redirect(question, permanent=True)


def question_detail(request, pk, slug):
    cacheable = _page_cacheable(request)
    if cacheable:
        key = page_cache_key(pk)
        cached = cache.get(key)
        if cached is not None:
            if slug != cached["slug"]:
                return HttpResponsePermanentRedirect(cached["path"])
            return HttpResponse(cached["content"])
    question = _visible_question(request, pk)
    if slug != question.slug:
        return redirect(question, permanent=True)
    response = render(request, "questions/question_detail.html", _qa_page_context(question))
    # A page that made a CSRF token carries a per-visitor cookie: never share it.
    if cacheable and question.is_published and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        entry = {
            "slug": question.slug,
            "path": question.get_absolute_url(),
            "content": response.content,
        }
        cache.set(key, entry, PAGE_CACHE_SECONDS)
    return response


def _page_cacheable(request) -> bool:
    """Only anonymous GETs with no pending flash messages share one cached page."""
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and not len(get_messages(request))
    )


def _qa_page_context(question: Question) -> dict:
    """Everything the Q&A page shows, in a fixed number of queries."""
    replies = list(
        question.replies.published().select_related("doctor").order_by("published_at", "id")
    )
    tags = list(question.tags.all())
    tag_ids = [tag.pk for tag in tags]
    articles = list(question.articles.published().select_related("reviewer"))
    heading = f"{articles[0].title if articles else question.title} - {question.specialty.name}"
    canonical_url = settings.SITE_URL + question.get_absolute_url()
    return {
        "question": question,
        "replies": replies,
        "tags": tags,
        "articles": articles,
        "similar": similar_questions(question=question, tag_ids=tag_ids),
        "faqs": related_faqs(tag_ids=tag_ids),
        "heading": heading,
        "canonical_url": canonical_url,
        "meta_description": excerpt(question.body, 160),
        "structured_data": [
            qa_page_data(question=question, replies=replies, url=canonical_url, name=heading),
            *(
                medical_web_page_data(article=article, question=question, url=canonical_url)
                for article in articles
            ),
        ],
    }


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    questions = Question.objects.latest_answered().filter(tags=tag).for_list()
    page = Paginator(questions, 20).get_page(request.GET.get("page"))
    return render(request, "questions/tag_detail.html", {"tag": tag, "page_obj": page})
