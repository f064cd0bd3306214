"""Chinese titles give readable Unicode slugs, percent-encoded on the wire, with the same
301 rules as English ones: the short URL and a stale slug redirect to the canonical URL."""

from urllib.parse import quote, unquote

import pytest
from django.conf import settings

from answers.tests.factories import ReplyFactory
from questions.models import Question, question_slug
from questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

TITLE = "頭痛三天，吃止痛藥也沒用怎麼辦？"
SLUG = "頭痛三天吃止痛藥也沒用怎麼辦"
PATH_SLUG = quote(SLUG)


@pytest.fixture
def chinese(specialty):
    question = QuestionFactory(
        specialty=specialty, title=TITLE, body="從週一開始頭痛，晚上更嚴重。"
    )
    ReplyFactory(question=question, body="建議先記錄頭痛的時間與誘因。")
    return question


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (TITLE, SLUG),
        ("MRI 檢查前要空腹嗎", "mri-檢查前要空腹嗎"),
        ("Why do I wake up at 3 am?", "why-do-i-wake-up-at-3-am"),
        ("？！。", "question"),
        ("頭" * 200, "頭" * 160),
    ],
)
def test_titles_in_any_script_give_readable_slugs(title, slug):
    assert question_slug(title) == slug


def test_a_chinese_question_has_a_readable_percent_encoded_url(client, chinese):
    assert chinese.slug == SLUG
    assert chinese.get_absolute_url() == f"/questions/{chinese.pk}/{PATH_SLUG}/"
    response = client.get(chinese.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert TITLE in html
    canonical = (
        f'<link rel="canonical" href="{settings.SITE_URL}/questions/{chinese.pk}/{PATH_SLUG}/">'
    )
    assert canonical in html


def test_the_short_url_redirects_permanently_to_the_encoded_canonical_url(client, chinese):
    response = client.get(f"/questions/{chinese.pk}/")
    assert response.status_code == 301
    assert response["Location"] == f"/questions/{chinese.pk}/{PATH_SLUG}/"
    assert response["Location"].isascii()
    assert unquote(response["Location"]) == f"/questions/{chinese.pk}/{SLUG}/"


@pytest.mark.parametrize("stale", ["question", quote("頭痛三天"), "tou-tong"])
def test_a_stale_slug_redirects_permanently_to_the_encoded_canonical_url(client, chinese, stale):
    for _ in range(2):  # rendered, then from the anonymous page cache
        response = client.get(f"/questions/{chinese.pk}/{stale}/")
        assert response.status_code == 301
        assert response["Location"] == f"/questions/{chinese.pk}/{PATH_SLUG}/"
        assert client.get(chinese.get_absolute_url()).status_code == 200


def test_the_canonical_url_is_served_from_the_page_cache_too(client, chinese):
    first = client.get(chinese.get_absolute_url())
    Question.objects.filter(pk=chinese.pk).update(title="changed behind the cache's back")
    second = client.get(chinese.get_absolute_url())
    assert first.status_code == second.status_code == 200
    assert TITLE in second.content.decode()


def test_a_title_edit_keeps_the_slug_so_links_stay_valid(chinese):
    chinese.title = "頭痛一週"
    chinese.save()
    assert Question.objects.get(pk=chinese.pk).slug == SLUG
