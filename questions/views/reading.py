"""Reading pages of the questions app: questions by tag."""

import logging

from django.shortcuts import get_object_or_404, render

from forum.paging import get_page
from questions.models import Question, Tag

logger = logging.getLogger("questions.patients")


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    questions = Question.objects.latest_answered().filter(tags=tag).for_list()
    page = get_page(request, questions, 20)
    return render(request, "questions/tag_detail.html", {"tag": tag, "page_obj": page})
