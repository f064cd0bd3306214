import pytest
from django.core.management import call_command
from django.db import connection

from answers.models import Article, Reply
from answers.tests.factories import ArticleFactory, ReplyFactory
from questions.models import Question, SearchDocument
from questions.search_index import refresh_question_document
from questions.tests.factories import PendingQuestionFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_refresh_question_document_holds_published_replies_and_articles(doctor, question):
    ReplyFactory(question=question, doctor=doctor, body="Drink more water.")
    ReplyFactory(question=question, doctor=doctor, body="Held text.", status=Reply.Status.HELD)
    ArticleFactory(title="Hydration", body="Water matters.").questions.add(question)
    ArticleFactory(title="Draft", body="Not yet.", status=Article.Status.DRAFT).questions.add(
        question
    )
    document = refresh_question_document(question.pk)
    assert document.reply_text == "Drink more water."
    assert document.article_text == "Hydration\nWater matters."
    assert document.specialty_id == question.specialty_id


def test_refresh_question_document_builds_a_weighted_vector_on_postgres(question):
    question.title = "Persistent hiccups"
    question.save()
    refresh_question_document(question.pk)
    vector = SearchDocument.objects.values_list("vector", flat=True).get(pk=question.pk)
    if connection.vendor == "postgresql":
        assert "'hiccup':2A" in vector
    else:
        assert vector is None


def test_refresh_question_document_removes_documents_of_unpublished_questions(question):
    refresh_question_document(question.pk)
    Question.objects.filter(pk=question.pk).update(status=Question.Status.REMOVED)
    assert refresh_question_document(question.pk) is None
    assert not SearchDocument.objects.filter(pk=question.pk).exists()
    assert refresh_question_document(question.pk + 1000) is None


def test_refresh_question_document_twice_changes_nothing(doctor, question):
    ReplyFactory(question=question, doctor=doctor, body="Rest.")
    first = refresh_question_document(question.pk)
    second = refresh_question_document(question.pk)
    assert SearchDocument.objects.count() == 1
    assert (first.reply_text, first.article_text) == (second.reply_text, second.article_text)


def test_rebuild_search_index_writes_every_published_question(doctor, capsys):
    published = [QuestionFactory() for _ in range(4)]
    ReplyFactory(question=published[0], doctor=doctor, body="See a dentist.")
    PendingQuestionFactory()
    stale = QuestionFactory()
    refresh_question_document(stale.pk)
    Question.objects.filter(pk=stale.pk).update(status=Question.Status.REJECTED)

    call_command("rebuild_search_index", batch_size=2)

    assert set(SearchDocument.objects.values_list("pk", flat=True)) == {q.pk for q in published}
    assert SearchDocument.objects.get(pk=published[0].pk).reply_text == "See a dentist."
    if connection.vendor == "postgresql":
        from forum.site.search import _lexeme_stats

        assert not SearchDocument.objects.filter(vector__isnull=True).exists()
        assert _lexeme_stats()["documents"] == 4  # analyzed, so search can use the stats
    assert "Search index rebuilt: 4 documents." in capsys.readouterr().out

    call_command("rebuild_search_index")  # idempotent
    assert SearchDocument.objects.count() == 4


def test_rebuild_search_index_dry_run_writes_nothing(capsys):
    QuestionFactory()
    call_command("rebuild_search_index", dry_run=True)
    assert "Would write 1 search documents (0 exist now)." in capsys.readouterr().out
    assert SearchDocument.objects.count() == 0


def test_moderation_actions_keep_the_search_document_in_step(moderator):
    from questions.actions import approve_question, reject_question, remove_question

    question = PendingQuestionFactory()
    approve_question(question=question, moderator=moderator)
    assert SearchDocument.objects.filter(pk=question.pk).exists()
    remove_question(question=question, moderator=moderator, reason="Spam")
    assert not SearchDocument.objects.filter(pk=question.pk).exists()

    other = PendingQuestionFactory()
    approve_question(question=other, moderator=moderator)
    reject_question(question=other, moderator=moderator, reason="Personal data")
    assert not SearchDocument.objects.exists()


def test_refresh_indexes_chinese_as_folded_bigrams(doctor, moderator):
    from questions.actions import approve_question

    question = PendingQuestionFactory(title="胃食道逆流", body="吃飯後ＭＲＩ")
    approve_question(question=question, moderator=moderator)  # through questions/changes.py
    ReplyFactory(question=question, doctor=doctor, body="請少喝咖啡。")
    refresh_question_document(question.pk)
    document = SearchDocument.objects.get(pk=question.pk)
    if connection.vendor == "postgresql":
        vector = document.vector
        for lexeme in ("'胃食':1A", "'食道':2A", "'逆流':4A", "'流':5A", "'mri'", "'咖啡'"):
            assert lexeme in vector
        assert "逆流" not in document.folded_text
    else:
        assert document.vector is None
        assert document.folded_text == "胃食道逆流\n吃饭后mri\n请少喝咖啡。\n"


def test_rebuild_fills_the_folded_text_of_every_document():
    question = QuestionFactory(title="頭痛", body="Ｈｅａｄａｃｈｅ")
    call_command("rebuild_search_index")
    document = SearchDocument.objects.get(pk=question.pk)
    if connection.vendor == "postgresql":
        assert "'头痛':1A" in document.vector and "'headach':3B" in document.vector
    else:
        assert document.folded_text == "头痛\nheadache\n\n"
