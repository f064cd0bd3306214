"""The site in two languages (forum/i18n.py, forum/urls.py): every public page at a URL
per language with the right lang and hreflang, the switcher, the first-visit redirect by
Accept-Language, the sticky choice, the page cache, the sitemap and feeds per language,
and the contract URL whichever language is the default."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import clear_url_caches, reverse
from django.utils import translation

from answers.tests.factories import FAQFactory, ReplyFactory
from forum.models import User
from forum.tests.factories import UserFactory
from questions.cache import cached_page, invalidate_all_pages, invalidate_question_page
from questions.tests.factories import QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db

ZH = "zh-hant"
HREFLANG = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


@pytest.fixture
def answered(question, doctor, specialty):
    specialty.name_zh_hant = "神經內科"
    specialty.save()
    tag = TagFactory(name="Migraine", slug="migraine")
    question.tags.add(tag)
    ReplyFactory(question=question, doctor=doctor, body="Drink more water.")
    FAQFactory(specialty=specialty)
    return question


def public_pages(question, doctor, specialty) -> dict[str, tuple[str, dict]]:
    """The public pages: view name and arguments."""
    return {
        "home": ("forum:home", {}),
        "qa": ("questions:detail", {"pk": question.pk, "slug": question.slug}),
        "specialty": ("forum:specialty", {"slug": specialty.slug}),
        "doctor": ("forum:doctor", {"slug": doctor.slug}),
        "tag": ("questions:tag", {"slug": "migraine"}),
        "search": ("forum:search", {}),
        "faqs": ("answers:faqs", {}),
    }


def url(name: str, kwargs: dict, language: str) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def test_every_public_page_answers_in_both_languages_with_lang_and_hreflang(
    client, answered, doctor, specialty, settings
):
    for page, (name, kwargs) in public_pages(answered, doctor, specialty).items():
        en, zh = url(name, kwargs, "en"), url(name, kwargs, ZH)
        assert zh == "/zh-hant" + en, page
        for path, lang in ((en, "en"), (zh, "zh-Hant")):
            response = client.get(path)
            assert response.status_code == 200, (page, path)
            html = response.content.decode()
            assert f'<html lang="{lang}">' in html, (page, path)
            assert HREFLANG.findall(html) == [
                ("en", settings.SITE_URL + en),
                ("zh-Hant", settings.SITE_URL + zh),
                ("x-default", settings.SITE_URL + en),
            ], (page, path)
            assert response["Content-Language"] == ("en" if lang == "en" else ZH)


def test_the_chinese_pages_are_in_chinese(client, answered):
    page = answered.get_absolute_url()
    html = client.get("/zh-hant" + page).content.decode()
    assert "跳到主要內容" in html  # the skip link
    assert "向醫師提問" in html  # the header
    assert "神經內科" in html  # the specialty's Chinese name
    english = client.get(page).content.decode()
    assert "Skip to content" in english and "Neurology" in english


def test_the_switcher_keeps_the_query_but_never_echoes_a_next(client, answered):
    html = client.get("/search/", {"q": "head", "next": "https://evil.example/"}).content.decode()
    assert 'name="next" value="/search/?q=head"' in html
    assert "evil.example" not in html


def test_admin_and_robots_have_no_language_prefix(client):
    assert client.get("/zh-hant/admin/").status_code == 404
    assert client.get("/zh-hant/robots.txt").status_code == 404
    assert client.get("/robots.txt").status_code == 200


def test_robots_keeps_crawlers_out_of_the_account_pages_in_both_languages(client):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /accounts/" in lines
    assert "Disallow: /zh-hant/accounts/" in lines
    assert client.get("/healthz").status_code == 200


def test_switcher_is_a_labelled_form_marking_the_current_language(client, answered):
    page = answered.get_absolute_url()
    html = client.get("/zh-hant" + page).content.decode()
    form = re.search(r'<form class="language-switcher".*?</form>', html, re.S).group(0)
    assert 'aria-label="語言"' in form
    assert f'action="{reverse("switch-language")}"' in form
    assert f'name="next" value="/zh-hant{page}"' in form
    assert 'value="en" lang="en" class="link-button">English</button>' in form
    assert 'value="zh-hant" lang="zh-Hant" class="link-button" aria-current="true">繁體中文' in form
    assert "csrfmiddlewaretoken" not in form  # anonymous: the page stays shareable


def test_switcher_keeps_the_visitor_on_the_same_page_and_the_choice_sticks(client, answered):
    page = answered.get_absolute_url()
    response = client.post(reverse("switch-language"), {"language": ZH, "next": page + "?x=1"})
    assert response.status_code == 302
    assert response["Location"] == f"/zh-hant{page}?x=1"
    assert response.cookies["django_language"].value == ZH
    # The choice sticks: the unprefixed page now sends this visitor to the Chinese one.
    again = client.get(page)
    assert again.status_code == 302 and again["Location"] == f"/zh-hant{page}"
    # And back to English, whatever the browser says.
    back = client.post(reverse("switch-language"), {"language": "en", "next": f"/zh-hant{page}"})
    assert back["Location"] == page
    assert client.get(page, HTTP_ACCEPT_LANGUAGE="zh-TW").status_code == 200


def test_switcher_refuses_unknown_languages_and_foreign_next(client):
    refused = client.post(reverse("switch-language"), {"language": "fr"})
    assert refused.status_code == 400
    assert "<h1>Bad request</h1>" in refused.content.decode()  # the site's own 400 page
    response = client.post(
        reverse("switch-language"), {"language": ZH, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/zh-hant/"
    assert client.get(reverse("switch-language")).status_code == 405


def test_signed_in_switch_is_stored_on_the_account_and_needs_the_token(patient):
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient)
    page = client.get("/")
    assert page.status_code == 200
    token = re.search(
        r'class="language-switcher".*?name="csrfmiddlewaretoken" value="([^"]+)"',
        page.content.decode(),
        re.S,
    ).group(1)
    refused = client.post(reverse("switch-language"), {"language": ZH, "next": "/"})
    assert refused.status_code == 403
    assert User.objects.get(pk=patient.pk).language == ""
    response = client.post(
        reverse("switch-language"),
        {"language": ZH, "next": "/", "csrfmiddlewaretoken": token},
    )
    assert response["Location"] == "/zh-hant/"
    assert User.objects.get(pk=patient.pk).language == ZH


def test_a_signed_in_users_stored_language_is_used_without_a_cookie(client, patient):
    patient.language = ZH
    patient.save()
    client.force_login(patient)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/zh-hant/"


def test_sign_up_stores_the_language_of_the_page(client):
    response = client.post(
        "/zh-hant/accounts/signup/",
        {
            "email": "new@example.com",
            "password1": "a long passphrase 1",
            "password2": "a long passphrase 1",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="new@example.com").language == ZH


@pytest.mark.parametrize(
    "accept", ["zh-TW,zh;q=0.9", "zh-Hant", "zh-HK", "zh-CN,zh;q=0.8", "zh-Hans"]
)
def test_a_first_visit_from_a_chinese_browser_goes_to_the_chinese_page(client, answered, accept):
    page = answered.get_absolute_url()
    response = client.get(page, HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == f"/zh-hant{page}"
    vary = {value.strip() for value in response["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    # The Chinese page itself is never redirected, whatever the browser prefers.
    assert client.get(f"/zh-hant{page}", HTTP_ACCEPT_LANGUAGE="en").status_code == 200


def test_an_english_browser_stays_and_unprefixed_pages_vary_on_language(client, answered):
    response = client.get(
        answered.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9,zh-TW;q=0.5"
    )
    assert response.status_code == 200
    vary = {value.strip() for value in response["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary
    # A POST is never redirected (the form's data would be lost).
    assert client.post("/search/", HTTP_ACCEPT_LANGUAGE="zh-TW").status_code != 302


def test_page_cache_keeps_one_copy_per_language_and_invalidation_drops_both(client, answered):
    cache.clear()
    page = answered.get_absolute_url()
    en, zh = client.get(page).content, client.get(f"/zh-hant{page}").content
    assert b'<html lang="en">' in en and b'<html lang="zh-Hant">' in zh
    assert cached_page(answered.pk, "en")[0]["content"] == en
    assert cached_page(answered.pk, ZH)[0]["content"] == zh
    # A cached hit of the prefixed page is that language's copy.
    assert client.get(f"/zh-hant{page}").content == zh
    invalidate_question_page(answered.pk)
    assert cached_page(answered.pk, "en")[0] is None
    assert cached_page(answered.pk, ZH)[0] is None
    client.get(page), client.get(f"/zh-hant{page}")
    invalidate_all_pages()
    assert cached_page(answered.pk, "en")[0] is None
    assert cached_page(answered.pk, ZH)[0] is None


def test_a_cached_page_is_not_served_to_a_visitor_who_is_redirected(client, answered):
    cache.clear()
    page = answered.get_absolute_url()
    client.get(page)
    assert cached_page(answered.pk, "en")[0] is not None
    response = client.get(page, HTTP_ACCEPT_LANGUAGE="zh-TW")
    assert response.status_code == 302


def test_a_reply_approved_shows_on_the_next_request_in_both_languages(client, answered, moderator):
    from answers.actions import approve_reply
    from answers.models import Reply

    page = answered.get_absolute_url()
    client.get(page), client.get(f"/zh-hant{page}")
    held = ReplyFactory(question=answered, status=Reply.Status.HELD, body="Sleep at set hours.")
    approve_reply(reply=held, moderator=moderator)
    for path in (page, f"/zh-hant{page}"):
        assert "Sleep at set hours." in client.get(path).content.decode()


def test_query_counts_are_the_same_in_both_languages(client, answered, django_assert_num_queries):
    from answers.tests.factories import ArticleFactory
    from questions.tests.test_qa_page import QA_PAGE_QUERIES

    ArticleFactory().questions.add(answered)  # as the Q&A page's own pin has it
    page = answered.get_absolute_url()
    client.get(page)  # the first view ranks and stores Similar Q&A
    for path in (page, f"/zh-hant{page}"):
        cache.clear()
        with django_assert_num_queries(QA_PAGE_QUERIES):
            assert client.get(path).status_code == 200
    for path in ("/", "/zh-hant/"):
        cache.clear()
        with django_assert_num_queries(4):
            assert client.get(path).status_code == 200


def test_sitemap_lists_each_page_per_language_with_alternates(client, answered):
    response = client.get(reverse("sitemap-section", args=["questions"]))
    root = ET.fromstring(response.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    entries = {
        url.find("s:loc", ns).text: [
            (link.get("hreflang"), link.get("href")) for link in url.findall("x:link", ns)
        ]
        for url in root.findall("s:url", ns)
    }
    en = "http://testserver" + answered.get_absolute_url()
    zh = "http://testserver/zh-hant" + answered.get_absolute_url()
    expected = [("en", en), ("zh-Hant", zh), ("x-default", en)]
    assert entries == {en: expected, zh: expected}
    specialties = client.get(reverse("sitemap-section", args=["specialties"])).content.decode()
    assert (
        'hreflang="zh-Hant" href="http://testserver/zh-hant/specialties/neurology/"' in specialties
    )


def test_feeds_per_language(client, answered):
    page = answered.get_absolute_url()
    english = client.get("/feeds/answered/rss/").content.decode()
    chinese = client.get("/zh-hant/feeds/answered/rss/").content.decode()
    assert "<language>en</language>" in english
    assert "<language>zh-Hant</language>" in chinese
    assert "最新醫師回覆" in chinese
    assert "<category>神經內科</category>" in chinese
    assert "http://testserver/zh-hant" + page in chinese


def test_javascript_catalogue_per_language(client):
    chinese = client.get("/zh-hant/jsi18n/").content.decode()
    assert json.dumps("文字太長，無法預覽。") in chinese  # the catalogue is JSON, ASCII-escaped
    assert client.get("/jsi18n/").status_code == 200


@pytest.fixture
def chinese_default(settings):
    settings.LANGUAGE_CODE = ZH
    clear_url_caches()
    from django.conf.urls import i18n as conf_i18n

    conf_i18n.is_language_prefix_patterns_used.cache_clear()
    yield
    settings.LANGUAGE_CODE = "en"
    clear_url_caches()
    conf_i18n.is_language_prefix_patterns_used.cache_clear()


def test_with_chinese_as_the_default_the_contract_url_answers_in_chinese(
    client, answered, chinese_default, settings
):
    with translation.override(ZH):
        page = reverse("questions:detail", kwargs={"pk": answered.pk, "slug": answered.slug})
    assert page == f"/questions/{answered.pk}/{answered.slug}/"
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-Hant">' in html
    assert ("en", f"{settings.SITE_URL}/en{page}") in HREFLANG.findall(html)
    assert ("x-default", settings.SITE_URL + page) in HREFLANG.findall(html)
    english = client.get(f"/en{page}")
    assert english.status_code == 200 and b'<html lang="en">' in english.content
    assert client.get(f"/zh-hant{page}").status_code == 404
    redirected = client.get(page, HTTP_ACCEPT_LANGUAGE="en-US")
    assert redirected.status_code == 302 and redirected["Location"] == f"/en{page}"


def test_with_english_as_the_default_the_contract_url_answers_in_english(client, answered):
    page = f"/questions/{answered.pk}/{answered.slug}/"
    response = client.get(page)
    assert response.status_code == 200 and b'<html lang="en">' in response.content


@pytest.mark.parametrize(
    "how",
    [
        {"HTTP_ACCEPT_LANGUAGE": "zh-TW,zh;q=0.9,en;q=0.5"},
        {"HTTP_COOKIE": f"{settings.LANGUAGE_COOKIE_NAME}=zh-hant"},
    ],
)
def test_an_unknown_unprefixed_url_is_a_404_in_the_visitors_language(client, how):
    response = client.get("/no-such-page/", **how)
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="zh-Hant">' in html and "找不到頁面" in html
    assert "Accept-Language" in response["Vary"]


def test_an_unknown_url_is_a_404_in_the_language_its_prefix_names_or_the_default(client):
    chinese_browser = {"HTTP_ACCEPT_LANGUAGE": "zh-TW"}
    assert '<html lang="en">' in client.get("/no-such-page/").content.decode()
    prefixed = client.get("/zh-hant/no-such-page/").content.decode()
    assert '<html lang="zh-Hant">' in prefixed
    # A signed-in patient who chose English in their account reads English.
    user = UserFactory(email="english@example.org", language="en")
    client.force_login(user)
    english = client.get("/no-such-page/", **chinese_browser).content.decode()
    assert '<html lang="en">' in english


def test_every_public_page_makes_as_many_queries_in_chinese_as_in_english(
    client, answered, doctor, specialty
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(answered.get_absolute_url())  # the first view ranks and stores Similar Q&A
    counts = {}
    for page, (name, kwargs) in public_pages(answered, doctor, specialty).items():
        for language in ("en", ZH):
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url(name, kwargs, language)).status_code == 200
            counts[page, language] = len(queries)
        assert counts[page, "en"] == counts[page, ZH], (page, counts)
    # A second answered question in the specialty changes no page's count.
    ReplyFactory(
        question=QuestionFactory(specialty=specialty, title="Migraine with aura twice a week"),
        doctor=doctor,
    )
    for page, (name, kwargs) in public_pages(answered, doctor, specialty).items():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(url(name, kwargs, ZH))
        assert len(queries) == counts[page, ZH], page
