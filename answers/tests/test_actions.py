import pytest
from django.core.cache import cache

from answers.actions import (
    delete_article,
    merge_tags,
    save_article,
    save_faq,
    set_article_status,
)
from answers.models import Article, TaggedFAQ
from answers.tests.factories import ArticleFactory, FAQFactory
from forum.models import ModerationEvent
from questions.cache import GENERATION_KEY, page_cache_key
from questions.models import Tag, TaggedQuestion
from questions.tests.changes import (
    assert_pages_invalidated,
    assert_search_refreshed,
)
from questions.tests.factories import QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db


def _draft(editor, doctor, **kwargs):
    return Article(
        title="Migraine or tension headache?",
        slug="migraine-or-tension-headache",
        body="## Signs\n\n<script>alert(1)</script>*Throbbing* pain\n",
        author=editor,
        reviewer=doctor,
        reviewed_on="2026-01-05",
        **kwargs,
    )


def test_save_article_caches_sanitized_html_and_links_questions(editor, doctor):
    first, second = QuestionFactory.create_batch(2)
    article = save_article(article=_draft(editor, doctor), questions=[first, second], actor=editor)
    article.refresh_from_db()
    assert article.body_html.startswith("<h2>Signs</h2>")
    assert "<p><em>Throbbing</em> pain</p>" in article.body_html
    assert "script" not in article.body_html
    assert set(article.questions.all()) == {first, second}
    assert article.published_at is None
    assert not ModerationEvent.objects.exists()


def test_save_article_first_publication_dates_logs_and_refreshes_question_pages(editor, doctor):
    question = QuestionFactory()
    article = save_article(article=_draft(editor, doctor), questions=[question], actor=editor)

    article.status = Article.Status.PUBLISHED
    # Only its questions' pages (Similar Q&A shows no article text), and what search finds.
    with (
        assert_pages_invalidated(question_ids=[question.pk], all_pages=False),
        assert_search_refreshed([question.pk]),
    ):
        save_article(article=article, questions=[question], actor=editor)

    article.refresh_from_db()
    assert article.published_at is not None
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.target) == ("publish_article", editor, article)


def test_save_article_keeps_the_first_publication_date_and_logs_once(editor, doctor):
    article = ArticleFactory(reviewer=doctor)
    first_published = article.published_at
    article.title = "A better title"
    save_article(article=article, questions=[], actor=editor)
    article.refresh_from_db()
    assert article.published_at == first_published
    assert not ModerationEvent.objects.exists()


def test_save_article_refreshes_the_page_a_published_article_leaves(editor, doctor):
    kept, dropped = QuestionFactory.create_batch(2)
    article = ArticleFactory(reviewer=doctor)
    article.questions.set([kept, dropped])
    dropped_key = page_cache_key(dropped.pk)
    save_article(article=article, questions=[kept], actor=editor)
    assert page_cache_key(dropped.pk) != dropped_key
    assert list(article.questions.all()) == [kept]


def test_save_article_refuses_to_publish_without_medical_review(editor):
    article = Article(title="T", slug="t", body="x", status=Article.Status.PUBLISHED)
    with pytest.raises(ValueError):
        save_article(article=article, questions=[], actor=editor)
    assert not Article.objects.exists()


def test_set_article_status_unpublishes_with_an_event_and_keeps_the_date(editor, doctor):
    question = QuestionFactory()
    article = ArticleFactory(reviewer=doctor)
    article.questions.add(question)
    key_before = page_cache_key(question.pk)

    set_article_status(article=article, status=Article.Status.DRAFT, actor=editor)
    set_article_status(article=article, status=Article.Status.DRAFT, actor=editor)

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.published_at is not None
    assert page_cache_key(question.pk) != key_before
    assert list(ModerationEvent.objects.values_list("action", flat=True)) == ["unpublish_article"]


def test_delete_article_refreshes_the_pages_that_showed_it(doctor):
    question = QuestionFactory()
    article = ArticleFactory(reviewer=doctor)
    article.questions.add(question)
    with (
        assert_pages_invalidated(question_ids=[question.pk]),
        assert_search_refreshed([question.pk]),
    ):
        delete_article(article=article)
    assert not Article.objects.exists()


def test_save_faq_renders_the_answer_and_refreshes_every_page():
    faq = FAQFactory.build(answer="**Rest** [more](javascript:alert(1))", is_published=True)
    with assert_pages_invalidated(all_pages=True):
        save_faq(faq=faq)
    faq.refresh_from_db()
    # The refused link keeps its words and loses the anchor (no link without a target).
    assert faq.answer_html == "<p><strong>Rest</strong> more</p>"


def test_merge_tags_moves_questions_and_faqs_without_duplicates_or_orphans(editor):
    keep = TagFactory(name="headache")
    typo = TagFactory(name="head-ache")
    plural = TagFactory(name="headaches")
    other = TagFactory(name="sleep")
    only_typo = QuestionFactory(tags=[typo])
    both = QuestionFactory(tags=[keep, typo])
    two_merged = QuestionFactory(tags=[typo, plural, other])
    untouched = QuestionFactory(tags=[other])
    faq_plural = FAQFactory()
    faq_plural.tags.add(plural)
    faq_both = FAQFactory()
    faq_both.tags.add(keep, plural)
    cache.set(GENERATION_KEY, "old", None)

    merge_tags(keep=keep, merge=[typo, plural, keep], actor=editor)

    assert set(Tag.objects.values_list("name", flat=True)) == {"headache", "sleep"}
    tagged = {q.pk: sorted(q.tags.names()) for q in (only_typo, both, two_merged, untouched)}
    assert tagged == {
        only_typo.pk: ["headache"],
        both.pk: ["headache"],
        two_merged.pk: ["headache", "sleep"],
        untouched.pk: ["sleep"],
    }
    assert sorted(faq_plural.tags.names()) == ["headache"]
    assert sorted(faq_both.tags.names()) == ["headache"]
    assert TaggedQuestion.objects.filter(tag=keep).count() == 3
    assert TaggedFAQ.objects.filter(tag=keep).count() == 2
    merged_ids = [typo.pk, plural.pk]
    assert not TaggedQuestion.objects.filter(tag_id__in=merged_ids).exists()
    assert not TaggedFAQ.objects.filter(tag_id__in=merged_ids).exists()
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.target) == ("merge_tags", editor, keep)
    assert event.reason == "Merged head-ache, headaches into headache."
    assert cache.get(GENERATION_KEY) != "old"


def test_merge_tags_keeps_the_topic_links_of_the_merged_tags(editor):
    keep = TagFactory(name="headache")
    typo = TagFactory(name="head-ache")
    chinese = TagFactory(name="頭痛", topic=typo)
    also_chinese = TagFactory(name="頭疼", topic=typo)

    merge_tags(keep=keep, merge=[typo], actor=editor)

    chinese.refresh_from_db()
    also_chinese.refresh_from_db()
    assert (chinese.topic, also_chinese.topic) == (keep, keep)


def test_merging_into_a_linked_tag_links_to_its_topic(editor):
    topic = TagFactory(name="headache")
    keep = TagFactory(name="頭痛", topic=topic)
    merged = TagFactory(name="頭疼")
    linked = TagFactory(name="頭部疼痛", topic=merged)

    merge_tags(keep=keep, merge=[merged], actor=editor)

    linked.refresh_from_db()
    assert linked.topic == topic


def test_merge_tags_with_only_the_kept_tag_changes_nothing(editor):
    keep = TagFactory(name="fever")
    merge_tags(keep=keep, merge=[keep], actor=editor)
    assert Tag.objects.get() == keep
    assert not ModerationEvent.objects.exists()
