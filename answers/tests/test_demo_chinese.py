"""The Traditional Chinese demo content in fixtures/demo.json, as `load_demo` loads it."""

import re

import pytest
from django.core.management import call_command

from answers.models import FAQ, Article, Reply
from forum.language import Language, detect_language
from questions.models import Question, Tag, question_slug

pytestmark = pytest.mark.django_db

ZH = Language.ZH_HANT


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    call_command("load_demo")


def test_demo_has_about_thirty_answered_chinese_questions_across_specialties(demo):
    chinese = Question.objects.published().answered().filter(language=ZH)
    assert chinese.count() >= 30
    assert chinese.values("specialty").distinct().count() >= 10
    for question in chinese.prefetch_related("tags", "replies__doctor"):
        replies = [r for r in question.replies.all() if r.status == Reply.Status.PUBLISHED]
        assert replies, question.title
        assert all(r.language == ZH and r.doctor.is_verified for r in replies), question.title
        assert question.tags.exists(), question.title
        assert question.slug == question_slug(question.title)
        assert question.answered_at == min(r.published_at for r in replies)


def test_every_demo_text_records_the_language_it_is_written_in(demo):
    texts = [
        *((q.language, (q.title, q.body)) for q in Question.objects.all()),
        *((r.language, (r.body,)) for r in Reply.objects.all()),
        *((a.language, (a.title, a.body)) for a in Article.objects.all()),
        *((f.language, (f.question, f.answer)) for f in FAQ.objects.all()),
    ]
    wrong = [text[0][:40] for language, text in texts if language != detect_language(*text)]
    assert not wrong
    assert {language for language, _ in texts} == {"en", "zh-hant"}


def test_demo_chinese_tags_are_linked_to_english_topics(demo):
    chinese_tags = [t for t in Tag.objects.all() if detect_language(t.name) == ZH]
    assert len(chinese_tags) >= 30
    linked = [t for t in chinese_tags if t.topic_id]
    assert len(linked) >= 25
    assert all(
        detect_language(t.topic.name) == Language.EN and t.topic.topic_id is None for t in linked
    )
    assert Tag.objects.get(name="頭痛").topic.name == "headache"
    assert Tag.objects.get(name="胃食道逆流").topic is None


def test_demo_has_two_chinese_articles_and_chinese_faqs(demo):
    articles = Article.objects.published().filter(language=ZH)
    assert articles.count() == 2
    for article in articles:
        assert "<h2>" in article.body_html and "<script" not in article.body_html
        assert article.questions.filter(language=ZH).exists()
        assert article.reviewer.is_verified
    faqs = FAQ.objects.published().filter(language=ZH)
    assert faqs.count() >= 3
    assert all(faq.answer_html and faq.tags.exists() for faq in faqs)


def test_a_chinese_demo_page_shows_english_answers_and_faqs_on_its_topics(demo, client):
    question = Question.objects.get(title="每天下午都頭痛，是不是用眼過度？")
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    english_headache = Question.objects.filter(language="en", tags__name="headache")
    assert any(q.get_absolute_url() in html for q in english_headache)
    english_faqs = FAQ.objects.published().filter(language="en", tags__name="headache")
    assert any(faq.question in html for faq in english_faqs)
    assert '<section class="question" lang="zh-hant">' in html
    assert "頭痛什麼時候該擔心" in html  # its article


def test_english_demo_pages_show_chinese_answers_on_their_topics(demo, client):
    chinese_urls = {q.get_absolute_url() for q in Question.objects.filter(language=ZH)}
    english = Question.objects.published().answered().filter(language="en")
    showing = [
        q for q in english if chinese_urls & set(_similar_urls(client.get(q.get_absolute_url())))
    ]
    assert len(showing) >= 5, len(showing)


def _similar_urls(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<h3 class="similar-title"[^>]*><a href="([^"]+)">', html)


def test_every_chinese_demo_page_and_tag_page_answers(demo, client):
    for question in Question.objects.published().filter(language=ZH):
        assert client.get(question.get_absolute_url()).status_code == 200
        assert client.get(f"/questions/{question.pk}/").status_code == 301
    for tag in Tag.objects.filter(question_links__content_object__language=ZH).distinct():
        assert client.get(tag.get_absolute_url()).status_code == 200


def test_feeds_and_sitemaps_give_chinese_pages_percent_encoded_urls(demo, client):
    from urllib.parse import quote

    from django.urls import reverse

    question = Question.objects.filter(language=ZH).latest("answered_at")
    encoded = f"/questions/{question.pk}/{quote(question.slug)}/"
    rss = client.get(reverse("forum:feed-rss")).content.decode()
    assert encoded in rss
    questions_map = client.get(reverse("sitemap-section", args=["questions"])).content.decode()
    assert encoded in questions_map
    tags_map = client.get(reverse("sitemap-section", args=["tags"])).content.decode()
    assert f"/questions/tags/{quote('頭痛')}/" in tags_map


def _text(html: str) -> str:
    """The page's words with its tags taken out (a date or a link splits a sentence)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.mark.parametrize(
    "title, follow_up, answer",
    [
        (
            "Eyelid and calf muscles twitching for three weeks - should I worry?",
            "Is it all right to keep going to the gym",
            "Dr. Lin Mei-hua answers Keep exercising",
        ),
        (
            "每天下午都頭痛，是不是用眼過度？",
            "可以先吃一顆普拿疼嗎",
            "Lin Mei-hua 醫師回答 偶爾頭痛",
        ),
    ],
)
def test_demo_pages_show_a_follow_up_with_the_doctors_answer(
    demo, client, title, follow_up, answer
):
    from answers.tests.test_pages_in_chinese import in_chinese

    question = Question.objects.get(title=title)
    url = question.get_absolute_url()
    if question.language == ZH:
        url = in_chinese(client, url)
    text = _text(client.get(url).content.decode())
    assert follow_up in text
    assert answer in text


@pytest.mark.parametrize(
    "title, asked, answered",
    [
        (
            "My migraines are getting more frequent since I started night shifts",
            "Before replying, Dr. Lin Mei-hua asked on 2026/09/10:",
            "About eight headache days a month",
        ),
        ("一直很累，睡再久也沒精神", "最近一次抽血檢查是什麼時候", "兩年前公司健檢有抽血"),
    ],
)
def test_demo_pages_show_an_answered_information_request(demo, client, title, asked, answered):
    from answers.tests.test_pages_in_chinese import in_chinese

    question = Question.objects.get(title=title)
    url = question.get_absolute_url()
    if question.language == ZH:
        url = in_chinese(client, url)
    text = _text(client.get(url).content.decode())
    assert asked in text and answered in text
