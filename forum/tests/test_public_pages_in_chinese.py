"""The public reading pages (the Jinja2 family) in Traditional Chinese, and the footer.

Each page is rendered with zh-Hant active (translation.override, as LocaleMiddleware
will do for a visitor who reads the site in Chinese) and the test asserts the Chinese a
reader sees: the model page's parts with their Chinese wording on the Q&A page (the
patient line in Chinese word order, 醫師回覆, 回覆日期, 延伸閱讀, 相關問答, 相關常見問題),
specialty names from their Chinese field, and no English sentence left over. The
English pages keep their wording (the other tests of these pages, and a few here).
"""

import html as html_lib
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.timezone import localtime

from answers.tests.factories import ArticleFactory, FAQFactory, ReplyFactory
from forum.i18n import url_in_language
from forum.site.icons import specialty_icon
from forum.tests.factories import DoctorProfileFactory
from questions.models import Question
from questions.search_index import refresh_question_document
from questions.tests.factories import QuestionFactory, TagFactory
from questions.tests.test_qa_page import (
    QA_PAGE_QUERIES,
    assert_in_order,
    full_page,  # noqa: F401  (the fixture model_page asks for)
    json_ld,
)

pytestmark = pytest.mark.django_db

# English that must not be left on a page read in Chinese (the Q&A page's parts).
ENGLISH_LEFTOVERS = [
    "Ask Date",
    "year old",
    "Reply Date",
    " reply ",
    "More Info",
    "Similar Q&A",
    "Related FAQ",
    "Share to",
    "Copy link",
    "Read More",
    "Medically reviewed",
    "Dr. ",
]


INLINE_TAG = re.compile(r"</?(?:a|time|strong|span|mark)\b[^>]*>")


def visible_text(html: str) -> str:
    """The page's main content as a reader sees it: inline elements (links, dates) run on
    with the words around them, as Chinese is written without spaces; whitespace
    collapsed."""
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<[^>]+>", " ", INLINE_TAG.sub("", main))
    return html_lib.unescape(" ".join(main.split()))


@pytest.fixture(autouse=True)
def cold_cache():
    # The anonymous Q&A page is cached whole: each test renders its own.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def model_page(request):
    """The Q&A page's every part (questions/tests/test_qa_page.py's full_page)."""
    return request.getfixturevalue("full_page")


@pytest.fixture
def neurology(specialty):
    specialty.name_zh_hant = "神經內科"
    specialty.save()
    return specialty


def model_page_url(question) -> str:
    return settings.SITE_URL + question.get_absolute_url()


def chinese(client, url, **params):
    """The page at `url` as a visitor reading the site in Traditional Chinese sees it."""
    with translation.override("zh-hant"):
        response = client.get(url_in_language(url, "zh-hant") or url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def english(client, url, **params):
    with translation.override("en"):
        response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- The Q&A page ----------------------------------------------------------------------


def test_qa_page_in_chinese_has_the_model_pages_parts_in_chinese(
    client, model_page, doctor, neurology
):
    doctor.display_name = "林美華"
    doctor.save()

    html = chinese(client, model_page.get_absolute_url())
    text = visible_text(html)

    assert_in_order(
        text,
        [
            "Involuntary thumb twitching? - 神經內科",
            "分享到：",
            "複製連結",
            "電子郵件",
            "My left thumb twitches when I relax.",
            "Heihei，10~19歲女性。發問日期：2023/09/24",
            "林美華 醫師回覆 神經內科",
            "Hello, twitching fingers have many causes.",
            "回覆日期：2023/09/24",
            "Peng Shih-wei 醫師回覆 神經內科",
            "回覆日期：2023/09/25",
            "延伸閱讀",
            "Muscle twitches: causes and care",
            "醫學審閱：Gao Chun-de 醫師（2024/01/15）",
            "相關問答",
            "Eyelid keeps twitching",
            "醫師回覆 神經內科",
            "[閱讀更多]",
            "相關常見問題",
            "When should a twitch be checked by a doctor?",
            "在常見問題頁開啟",
        ],
    )
    for leftover in ENGLISH_LEFTOVERS:
        assert leftover not in text, leftover
    # The dates keep their machine-readable form inside the translated sentences.
    assert '發問日期：<time datetime="2023-09-24T' in html
    assert '<a href="/zh-hant/doctors/' in html.split("林美華 醫師</a>回覆", 1)[0][-200:]
    assert 'aria-label="分享此頁"' in html
    assert "（在新分頁開啟）" in html
    # What the share script says comes from the page, translated.
    assert 'data-copied="已複製連結。"' in html
    chinese_url = settings.SITE_URL + url_in_language(model_page.get_absolute_url(), "zh-hant")
    assert f'data-copy-failed="無法複製。本頁網址是 {chinese_url}"' in html
    assert "<title>Muscle twitches: causes and care - 神經內科 - " in html


def test_qa_page_in_english_keeps_its_share_messages(client, model_page):
    html = english(client, model_page.get_absolute_url())

    assert 'data-copied="Link copied."' in html
    assert f'data-copy-failed="Could not copy. The address is {model_page_url(model_page)}"' in html


def test_qa_page_in_chinese_names_doctors_in_chinese_in_its_structured_data(
    client, model_page, doctor, neurology
):
    doctor.display_name = "林美華"
    doctor.save()

    html = chinese(client, model_page.get_absolute_url())

    page = json_ld(html)[0]
    authors = [answer["author"]["name"] for answer in page["mainEntity"]["suggestedAnswer"]]
    assert authors == ["林美華 醫師", "Peng Shih-wei 醫師"]


@pytest.mark.parametrize(
    ("sex", "age", "chinese_line", "english_line"),
    [
        (
            "female",
            "10~19",
            "Heihei，10~19歲女性。發問日期：",
            "Heihei, 10~19 year old female. Ask Date: ",
        ),
        (
            "male",
            "30~39",
            "Heihei，30~39歲男性。發問日期：",
            "Heihei, 30~39 year old male. Ask Date: ",
        ),
        ("other", "90+", "Heihei，90歲以上。發問日期：", "Heihei, 90+ year old person. Ask Date: "),
        (
            "undisclosed",
            "0~9",
            "Heihei，0~9歲。發問日期：",
            "Heihei, 0~9 year old person. Ask Date: ",
        ),
    ],
)
def test_patient_line_is_one_sentence_per_sex_in_each_language(
    client, question, neurology, sex, age, chinese_line, english_line
):
    Question.objects.filter(pk=question.pk).update(sex=sex, age_range=age)
    date = localtime(question.created_at).strftime("%Y/%m/%d")

    assert chinese_line + date in visible_text(chinese(client, question.get_absolute_url()))
    cache.clear()
    assert english_line + date in visible_text(english(client, question.get_absolute_url()))


def test_qa_page_in_chinese_without_replies_or_related_content(client, question, neurology):
    text = visible_text(chinese(client, question.get_absolute_url()))

    assert "尚無醫師回覆。" in text
    assert "目前還沒有相關常見問題。 所有常見問題" in text
    assert "No doctor" not in text and "FAQ" not in text


def test_unpublished_question_banner_in_chinese(client, patient, neurology):
    from questions.tests.factories import PendingQuestionFactory

    pending = PendingQuestionFactory(author=patient, specialty=neurology)
    client.force_login(patient)

    text = visible_text(chinese(client, pending.get_absolute_url()))

    assert "只有發問者與版主看得到此頁。" in text
    assert "only its author" not in text


def test_thanks_in_chinese_for_the_asker(client, question, patient, doctor, neurology):
    doctor.display_name = "林美華"
    doctor.save()
    ReplyFactory(question=question, doctor=doctor)
    client.force_login(patient)

    text = visible_text(chinese(client, question.get_absolute_url()))

    assert "感謝 林美華 醫師" in text


def test_qa_page_in_chinese_makes_the_same_queries_as_in_english(
    client, question, neurology, django_assert_num_queries
):
    ReplyFactory(question=question)
    ArticleFactory().questions.add(question)
    english(client, question.get_absolute_url())  # the first view stores Similar Q&A
    for language in ["en", "zh-hant"]:
        cache.clear()
        with translation.override(language), django_assert_num_queries(QA_PAGE_QUERIES):
            assert client.get(question.get_absolute_url()).status_code == 200


# --- Home, search, specialty, tag, doctor and FAQ pages ------------------------------------


def test_home_in_chinese(client, doctor, neurology):
    ReplyFactory(doctor=doctor, question__specialty=neurology, question__title="手指不自主抖動")

    html = chinese(client, reverse("forum:home"))
    text = visible_text(html)

    assert "向醫師發問，看看醫師怎麼回答。" in text
    assert "最新回覆的問題" in text
    assert "手指不自主抖動" in text
    assert "神經內科 · 回覆於 " in text
    assert '神經內科</a> <span class="count">(1)</span>' in html
    assert "找不到答案嗎？" in text
    assert 'placeholder="例如：每天早上頭痛"' in html
    assert "Latest answered" not in text and "Neurology" not in text


def test_search_in_chinese_counts_and_explains(client, neurology):
    question = QuestionFactory(title="Tingling fingers at night", specialty=neurology)
    refresh_question_document(question.pk)
    url = reverse("forum:search")

    text = visible_text(chinese(client, url, q="tingling"))
    assert "有 1 則問題符合「tingling」。" in text
    assert "神經內科 · 等待醫師回覆" in text or "神經內科 · 回覆於" in text
    assert "沒找到答案嗎？" in text

    text = visible_text(chinese(client, url, q="tingling", specialty=neurology.slug))
    assert "神經內科中有 1 則問題符合「tingling」。" in text

    text = visible_text(chinese(client, url, q="zebra"))
    assert "找不到符合「zebra」的問題。請檢查拼字或改用其他字詞。" in text

    html = chinese(client, url)
    assert "您想找什麼？" in visible_text(html)
    assert "請輸入症狀、疾病或藥名，例如「每天早上頭痛」。" in visible_text(html)
    assert '<option value="neurology">神經內科</option>' in html
    assert '<option value="">所有科別</option>' in html


def test_search_in_english_still_reads_as_before(client, neurology):
    question = QuestionFactory(title="Tingling fingers at night", specialty=neurology)
    refresh_question_document(question.pk)

    text = visible_text(english(client, reverse("forum:search"), q="tingling"))

    assert "1 question matches “tingling”." in text
    assert 'Tip: put a phrase in quotes ("chest pain"), leave a word out with a minus' in text


def test_specialty_page_in_chinese(client, doctor, neurology):
    doctor.display_name = "林美華"
    doctor.save()
    ReplyFactory(doctor=doctor, question__specialty=neurology)

    html = chinese(client, neurology.get_absolute_url())
    text = visible_text(html)

    assert f'<h1 class="specialty-heading">{specialty_icon(neurology.slug)}神經內科</h1>' in html
    assert "<title>神經內科 - " in html
    assert "已回覆的問題 (1)" in text
    assert "林美華 醫師" in text
    assert "訂閱神經內科最新回覆的問題：" in text
    assert "搜尋神經內科的問題" in text
    assert 'aria-label="搜尋神經內科"' in html


def test_tag_page_in_chinese(client, neurology):
    tag = TagFactory(name="頭痛")
    for _ in range(2):
        QuestionFactory(specialty=neurology, tags=[tag.name])
        ReplyFactory(question=Question.objects.latest("pk"))

    html = chinese(client, tag.get_absolute_url())
    text = visible_text(html)

    assert "標籤為「頭痛」的問題" in text
    assert "共 2 則已回覆的問題，最新回覆排在最前。" in text
    assert "神經內科 · 回覆於 " in text
    assert "answered" not in text


def test_doctor_page_in_chinese(client, doctor, neurology):
    doctor.display_name = "林美華"
    doctor.save()
    reply = ReplyFactory(doctor=doctor, question__specialty=neurology)

    html = chinese(client, reverse("forum:doctor", kwargs={"slug": doctor.slug}))
    text = visible_text(html)

    assert "<title>林美華 醫師 - " in html
    assert "科別 神經內科" in text
    assert "最新回覆" in text
    assert f"神經內科 · 回覆日期：{localtime(reply.published_at):%Y/%m/%d}" in text
    assert "Reply Date" not in text and "Specialties" not in text


def test_doctor_without_answers_in_chinese(client, neurology):
    doctor = DoctorProfileFactory(display_name="王大明", specialties=[neurology])

    text = visible_text(chinese(client, reverse("forum:doctor", kwargs={"slug": doctor.slug})))

    assert "王大明 醫師尚未回覆任何問題。" in text


def test_faq_list_in_chinese(client, neurology):
    FAQFactory(question="感冒多久會好？", specialty=neurology)

    html = chinese(client, reverse("answers:faqs"))

    assert "<h1>常見問題</h1>" in html
    assert "感冒多久會好？" in html
    assert ">神經內科</a>" in html


# --- The footer ------------------------------------------------------------------------

FOOTER_LINKS = [
    ("forum:home", "Home", "首頁"),
    ("answers:faqs", "FAQ", "常見問題"),
    ("forum:privacy", "Privacy notice", "隱私權聲明"),
    ("forum:terms", "Terms of use", "使用條款"),
    ("forum:accessibility", "Accessibility", "無障礙聲明"),
]


def footer_nav(html: str) -> str:
    footer = html.split('<footer class="site-footer">', 1)[1].split("</footer>", 1)[0]
    return footer.split("<nav", 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize("page", ["jinja2", "django"])
def test_footer_links_to_the_legal_texts_in_each_language(client, page):
    # The home page is a Jinja2 page; the sign-up page a Django one: both copies of the
    # footer read chrome.footer().
    url = reverse("forum:home") if page == "jinja2" else reverse("account_signup")
    nav = footer_nav(english(client, url))
    for name, text, _ in FOOTER_LINKS:
        assert f'<a href="{reverse(name)}">{text}</a>' in nav
    nav = footer_nav(chinese(client, url))
    for name, _, text in FOOTER_LINKS:
        assert f'<a href="{url_in_language(reverse(name), "zh-hant")}">{text}</a>' in nav
    assert 'aria-label="頁尾"' in nav


@pytest.mark.parametrize("name", ["forum:privacy", "forum:terms", "forum:accessibility"])
def test_footer_links_lead_to_pages_that_exist(client, name):
    html = english(client, reverse("forum:home"))
    assert f'href="{reverse(name)}"' in footer_nav(html)
    assert client.get(reverse(name)).status_code == 200


def test_pager_in_chinese():
    from django.core.paginator import Paginator

    from forum.site import chrome

    page = Paginator(list(range(30)), 10).page(2)
    with translation.override("zh-hant"):
        pager = chrome.pager(page, newest_first=True)
        plain = chrome.pager(page)
    assert pager.position == "第 2 頁，共 3 頁"
    assert (pager.previous.text, pager.next.text) == ("較新", "較舊")
    assert (plain.previous.text, plain.next.text) == ("上一頁", "下一頁")
    assert pager.label == "分頁"


def test_feed_links_in_chinese(db):
    request = RequestFactory().get("/")
    with translation.override("zh-hant"):
        html = (
            engines["jinja2"]
            .from_string('{% include "forum/_feed_links.html" %}')
            .render({"SITE_NAME": "Ask a Doctor"}, request)
        )
    assert 'title="Ask a Doctor：最新回覆的問題（RSS）"' in html
    assert 'title="Ask a Doctor：最新回覆的問題（Atom）"' in html


def test_the_ask_form_names_the_specialties_in_chinese(client, patient, neurology):
    client.force_login(patient)
    html = chinese(client, reverse("questions:ask"))
    assert f'<option value="{neurology.pk}">神經內科</option>' in html
    english = client.get(reverse("questions:ask")).content.decode()
    assert f'<option value="{neurology.pk}">Neurology</option>' in english


def test_a_specialty_page_shows_its_description_in_the_page_language(client, neurology):
    neurology.description = "Headaches, dizziness, numbness and other nerve problems."
    neurology.description_zh_hant = "頭痛、頭暈、手腳麻木等神經系統的問題。"
    neurology.save()
    url = neurology.get_absolute_url()
    html = chinese(client, url)
    assert '<p class="lead" lang="zh-Hant">頭痛、頭暈、手腳麻木等神經系統的問題。</p>' in html
    english = client.get(url).content.decode()
    assert '<p class="lead" lang="en">Headaches, dizziness, numbness' in english
    # No Chinese description: the English one, marked as English, on the Chinese page.
    neurology.description_zh_hant = ""
    neurology.save()
    cache.clear()
    assert '<p class="lead" lang="en">Headaches' in chinese(client, url)
