"""Reply and article actions keep what search finds about a question current."""

import pytest
from django.urls import reverse

from answers.actions import (
    approve_reply,
    edit_reply,
    hide_reply,
    restore_reply,
    save_article,
    set_article_status,
    submit_reply,
)
from answers.models import Article
from answers.tests.factories import ArticleFactory
from questions.search_index import refresh_question_document

pytestmark = pytest.mark.django_db


def found(client, query: str) -> list[str]:
    response = client.get(reverse("forum:search"), {"q": query})
    return [q.title for q in response.context["page_obj"].object_list]


@pytest.fixture
def indexed_question(question):
    refresh_question_document(question.pk)  # as approving it did
    return question


def test_published_reply_text_is_found_and_hidden_reply_text_is_not(
    client, indexed_question, doctor, moderator, settings
):
    settings.HELD_REPLIES_FOR_NEW_DOCTORS = 1
    reply = submit_reply(question=indexed_question, doctor=doctor, body="Try magnesium.")
    assert found(client, "magnesium") == []  # held for a moderator
    approve_reply(reply=reply, moderator=moderator)
    assert found(client, "magnesium") == [indexed_question.title]
    edit_reply(reply=reply, doctor=doctor, body="Try riboflavin.")
    assert found(client, "magnesium") == []
    assert found(client, "riboflavin") == [indexed_question.title]
    hide_reply(reply=reply, moderator=moderator, reason="Not advice we stand by")
    assert found(client, "riboflavin") == []
    restore_reply(reply=reply, moderator=moderator, reason="Checked again")
    assert found(client, "riboflavin") == [indexed_question.title]


def test_article_text_is_found_while_the_article_is_published(
    client, indexed_question, editor, doctor
):
    article = ArticleFactory.build(
        title="Tension headaches", slug="tension-headaches", body="Posture matters.",
        status=Article.Status.DRAFT, author=editor, reviewer=doctor,
    )  # fmt: skip
    save_article(article=article, questions=[indexed_question], actor=editor)
    assert found(client, "posture") == []
    set_article_status(article=article, status=Article.Status.PUBLISHED, actor=editor)
    assert found(client, "posture") == [indexed_question.title]
    save_article(article=article, questions=[], actor=editor)  # detached
    assert found(client, "posture") == []
