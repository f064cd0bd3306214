from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from forum.models import DoctorProfile, User
from questions.models import Question, TaggedQuestion

pytestmark = pytest.mark.django_db


def generate(**options) -> str:
    out = StringIO()
    call_command("generate_dataset", stdout=out, **options)
    return out.getvalue()


def test_generate_dataset_makes_published_answered_questions_with_replies_and_tags():
    generate(questions=60, tags=30, seed=3)
    questions = Question.objects.published().answered()
    assert questions.count() == Question.objects.count() == 60
    for question in questions.prefetch_related("replies__doctor__specialties", "tags"):
        replies = list(question.replies.all())
        assert 1 <= len(replies) <= 2
        assert all(reply.is_published for reply in replies)
        assert min(reply.published_at for reply in replies) == question.answered_at
        for reply in replies:
            assert question.specialty in reply.doctor.specialties.all()
            assert reply.doctor.is_verified
        assert 1 <= len(question.tags.all()) <= 5
        assert question.slug and question.nickname and question.body
    assert questions.filter(created_at__lt=timezone.now() - timedelta(days=365)).exists()
    by_id = list(questions.order_by("id").values_list("created_at", flat=True))
    assert by_id == sorted(by_id)


def test_generate_dataset_tag_popularity_follows_zipf():
    generate(questions=300, tags=40, seed=5)
    per_tag = Counter(TaggedQuestion.objects.values_list("tag__slug", flat=True))
    top = per_tag["headache-1"]
    assert top == max(per_tag.values())
    assert per_tag["insomnia-4"] > per_tag["chest-tightness-20"]
    assert top > 5 * per_tag["chest-tightness-20"]
    assert len(per_tag) > 20


def test_generate_dataset_tops_up_and_a_second_run_adds_nothing():
    generate(questions=20, tags=10, seed=1)
    users, doctors = User.objects.count(), DoctorProfile.objects.count()
    output = generate(questions=20, tags=10, seed=1)
    assert "Nothing to do" in output
    assert Question.objects.count() == 20
    assert (User.objects.count(), DoctorProfile.objects.count()) == (users, doctors)
    generate(questions=35, tags=10, seed=1)
    assert Question.objects.count() == 35
    assert Question.objects.values("title").count() == 35


def test_generate_dataset_writes_traditional_chinese_questions_and_replies(client):
    from forum.site.search import search_questions
    from questions.search_index import rebuild_search_documents
    from questions.search_text import has_han, vocabulary

    generate(questions=20, tags=10, seed=2, language="zh-hant")
    known = vocabulary()
    for question in Question.objects.prefetch_related("replies"):
        assert has_han(question.title) and has_han(question.body)
        assert "，" in question.body or "。" in question.body
        assert any(term in question.title for term in known)
        assert all(has_han(reply.body) for reply in question.replies.all())
        # Readable Unicode slugs and the recorded language, as the ask flow writes them.
        assert question.slug and has_han(question.slug)
        assert question.language == "zh-hant"
        assert {reply.language for reply in question.replies.all()} == {"zh-hant"}
        assert client.get(question.get_absolute_url()).status_code == 200
    rebuild_search_documents()
    assert len(search_questions("頭痛")) > 0
    assert len(search_questions("头痛")) == len(search_questions("頭痛"))


def test_generate_dataset_mix_writes_half_in_each_language():
    from questions.search_text import has_han

    generate(questions=40, tags=10, seed=1, language="mix")
    chinese = [has_han(title) for title in Question.objects.values_list("title", flat=True)]
    assert chinese.count(True) == chinese.count(False) == 20


def test_generate_dataset_refuses_an_unknown_language():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("generate_dataset", "--questions=1", "--language=fr", stdout=StringIO())


def test_generate_dataset_dry_run_writes_nothing():
    output = generate(questions=10, tags=5, seed=1, dry_run=True)
    assert "adding 10" in output
    assert not Question.objects.exists()
    assert not User.objects.exists()
