from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from forum import roles
from questions.models import Question, Tag


def _visible_question(request, pk: int) -> Question:
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
    question = _visible_question(request, pk)
    if slug != question.slug:
        return redirect(question, permanent=True)
    replies = (
        question.replies.filter(status="published")
        .select_related("doctor")
        .prefetch_related("doctor__specialties")
    )
    # More Info: published articles, read through the reverse relation (no answers import).
    articles = question.articles.published().select_related("reviewer")
    return render(
        request,
        "questions/question_detail.html",
        {
            "question": question,
            "replies": replies,
            "tags": question.tags.all(),
            "articles": articles,
        },
    )


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    questions = Question.objects.latest_answered().filter(tags=tag).for_list()
    page = Paginator(questions, 20).get_page(request.GET.get("page"))
    return render(request, "questions/tag_detail.html", {"tag": tag, "page_obj": page})
