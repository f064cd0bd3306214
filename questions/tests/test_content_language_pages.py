"""Content blocks carry the language they are written in (`lang`), on the Q&A page and in
lists, whatever the interface language."""

import re

import pytest
from django.urls import reverse

from answers.tests.factories import ArticleFactory, FAQFactory, ReplyFactory
from questions.models import Question
from questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def opening_tags(html: str, css_class: str) -> list[str]:
    return re.findall(rf'<[a-z0-9]+ class="{css_class}"[^>]*>', html)


@pytest.fixture
def chinese_page(specialty):
    specialty.name_zh_hant = "神經內科"
    specialty.save()
    question = QuestionFactory(
        specialty=specialty,
        title="頭痛三天怎麼辦",
        body="這三天早上起床就頭痛，下午比較好。",
        tags=["頭痛", "headache"],
    )
    ReplyFactory(question=question, body="先記錄頭痛的時間與誘因，持續一週請就醫。")
    ReplyFactory(question=question, body="If it wakes you at night, please see a doctor soon.")
    english = QuestionFactory(specialty=specialty, tags=["headache"])
    ReplyFactory(question=english)
    ArticleFactory(title="認識頭痛", body="頭痛大多是良性的。").questions.add(question)
    FAQFactory(question="頭痛什麼時候要掛急診？", answer="突然劇烈頭痛請立即就醫。").tags.add(
        "頭痛"
    )
    FAQFactory(question="Is a headache every morning normal?").tags.add("headache")
    return question, english


def test_qa_page_marks_each_content_block_with_its_language(client, chinese_page):
    question, english = chinese_page
    html = client.get(question.get_absolute_url()).content.decode()

    assert opening_tags(html, "question") == ['<section class="question" lang="zh-hant">']
    # The question's text (inside its section), then each reply's.
    texts = re.findall(r'<div class="qa-text"( lang="[^"]+")?>', html)
    assert texts == ["", ' lang="zh-hant"', ' lang="en"']
    assert re.search(r'<div class="article" id="article-\d+" lang="zh-hant">', html)
    assert opening_tags(html, "similar-title") == ['<h3 class="similar-title" lang="en">']
    faqs = opening_tags(html, "faq-item")
    assert sorted(faqs) == [
        '<li class="faq-item" lang="en">',
        '<li class="faq-item" lang="zh-hant">',
    ]
    # The interface around them stays in its own language.
    assert '<html lang="en">' in html


def test_an_english_page_marks_a_chinese_similar_item(client, chinese_page):
    question, english = chinese_page
    html = client.get(english.get_absolute_url()).content.decode()
    assert opening_tags(html, "question") == ['<section class="question" lang="en">']
    assert opening_tags(html, "similar-title") == ['<h3 class="similar-title" lang="zh-hant">']
    assert '<p class="excerpt" lang="zh-hant">這三天早上起床就頭痛，下午比較好。</p>' in html


def test_question_lists_mark_titles_and_excerpts_with_their_language(client, chinese_page):
    question, english = chinese_page
    html = client.get(question.specialty.get_absolute_url()).content.decode()
    assert (
        f'<h3 class="question-row-title" lang="zh-hant"><a href="{question.get_absolute_url()}">'
        in html
    )
    assert (
        f'<h3 class="question-row-title" lang="en"><a href="{english.get_absolute_url()}">' in html
    )
    assert '<p class="excerpt" lang="zh-hant">這三天早上起床就頭痛' in html


def test_content_without_a_recorded_language_carries_no_lang(client, chinese_page):
    question, english = chinese_page
    Question.objects.filter(pk=english.pk).update(language="")  # e.g. generated data
    html = client.get(english.get_absolute_url()).content.decode()
    assert opening_tags(html, "question") == ['<section class="question">']


def test_faq_list_marks_each_faq_with_its_language(client, chinese_page):
    html = client.get(reverse("answers:faqs")).content.decode()
    assert re.search(
        r'<section class="faq" id="faq-\d+" aria-labelledby="faq-\d+-q" lang="zh-hant">', html
    )
    assert re.search(
        r'<section class="faq" id="faq-\d+" aria-labelledby="faq-\d+-q" lang="en">', html
    )


def test_an_editor_corrects_a_questions_language_in_admin(client, editor, specialty):
    from forum.tests.two_factor import sign_in
    from questions.tests.changes import assert_pages_invalidated

    question = QuestionFactory(specialty=specialty, title="OK?", body="OK", tags=["頭痛"])
    assert question.language == "en"
    ReplyFactory(question=question)
    sign_in(client, editor)
    form = {
        "language": "zh-hant",
        "tags": "頭痛",
        "replies-TOTAL_FORMS": "0",
        "replies-INITIAL_FORMS": "0",
        "Article_questions-TOTAL_FORMS": "0",
        "Article_questions-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    with assert_pages_invalidated(question_ids=[question.pk], all_pages=True):
        response = client.post(reverse("admin:questions_question_change", args=[question.pk]), form)
    assert response.status_code == 302
    assert Question.objects.get(pk=question.pk).language == "zh-hant"
    html = client.get(question.get_absolute_url()).content.decode()
    assert '<section class="question" lang="zh-hant">' in html


def test_an_editor_sets_a_faqs_language_in_admin(client, editor):
    from answers.models import FAQ
    from forum.tests.two_factor import sign_in

    sign_in(client, editor)
    response = client.post(
        reverse("admin:answers_faq_add"),
        {
            "question": "Is 頭痛 the same as headache?",
            "answer": "是的，頭痛就是 headache。",
            "language": "zh-hant",
            "tags": "頭痛",
            "is_published": "on",
            "position": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert FAQ.objects.get().language == "zh-hant"


def test_a_question_asked_in_chinese_records_its_language_slug_and_tags(client, patient, specialty):
    from questions.tests.ask_data import ask_data

    client.force_login(patient)
    data = ask_data(
        specialty,
        title="頭痛三天，吃止痛藥也沒有改善",
        body="從週一早上開始頭痛，兩側太陽穴緊緊的，吃了止痛藥只好一點點，晚上睡不好。",
        tags="頭痛，失眠",
    )
    response = client.post(reverse("questions:ask"), data)
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.language == "zh-hant"
    assert question.slug == "頭痛三天吃止痛藥也沒有改善"
    assert sorted(question.tags.names()) == ["失眠", "頭痛"]
