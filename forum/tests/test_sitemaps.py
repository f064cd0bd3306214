import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from answers.tests.factories import ReplyFactory
from forum.site import sitemaps
from questions.models import Question
from questions.tests.factories import PendingQuestionFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(response) -> list[str]:
    """The default language's entries (each page is listed once per language, the other
    language's URLs under /zh-hant/: forum/tests/test_i18n_urls.py checks those)."""
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.iter(f"{NS}loc") if "/zh-hant/" not in loc.text]


def section(client, name: str, page=None):
    params = {"p": page} if page is not None else {}
    return client.get(reverse("sitemap-section", args=[name]), params)


@pytest.fixture
def small_pages(monkeypatch):
    """Two ids per sitemap page, so a handful of rows spans several pages."""
    monkeypatch.setattr(sitemaps.QuestionSitemap, "ids_per_page", 2)
    monkeypatch.setattr(sitemaps.TagSitemap, "ids_per_page", 2)


def test_sitemap_index_lists_every_section_and_page(client, doctor, small_pages):
    questions = [ReplyFactory(doctor=doctor).question for _ in range(5)]
    response = client.get("/sitemap.xml")
    assert response["Content-Type"] == "application/xml"
    assert response["X-Robots-Tag"].startswith("noindex")
    locs = locations(response)
    assert ET.fromstring(response.content).tag == f"{NS}sitemapindex"
    base = "http://testserver/sitemap-questions.xml"
    pages = -(-questions[-1].pk // 2)
    assert [loc for loc in locs if loc.startswith(base)] == [base] + [
        f"{base}?p={n}" for n in range(2, pages + 1)
    ]
    for name in ("pages", "specialties", "doctors", "tags"):
        assert f"http://testserver/sitemap-{name}.xml" in locs


def test_question_sitemap_pages_list_only_published_answered_questions(client, doctor, small_pages):
    answered = [ReplyFactory(doctor=doctor).question for _ in range(3)]
    QuestionFactory()  # published, not answered
    ReplyFactory(doctor=doctor, question=PendingQuestionFactory())
    removed = ReplyFactory(doctor=doctor).question
    Question.objects.filter(pk=removed.pk).update(status=Question.Status.REMOVED)
    pages = [
        loc.removeprefix("http://testserver")
        for loc in locations(client.get("/sitemap.xml"))
        if "sitemap-questions" in loc
    ]
    assert len(pages) == -(-answered[-1].pk // 2)
    listed = []
    for page in pages:
        listed += locations(client.get(page))
    assert listed == [f"http://testserver{q.get_absolute_url()}" for q in answered]


def test_question_sitemap_gives_lastmod(client, doctor):
    question = ReplyFactory(doctor=doctor).question
    question.refresh_from_db()
    root = ET.fromstring(section(client, "questions").content)
    changed = max(question.updated_at, question.answered_at)
    expected = timezone.localtime(changed).date().isoformat()
    assert root.find(f"{NS}url/{NS}lastmod").text == expected


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999"])
def test_sitemap_bad_page_numbers_are_404(client, doctor, page):
    ReplyFactory(doctor=doctor)
    assert section(client, "questions", page).status_code == 404


def test_unknown_sitemap_section_is_404(client):
    assert section(client, "nothing").status_code == 404


def test_tag_sitemap_lists_tags_with_answered_questions_only(client, doctor):
    used = TagFactory(name="sleep")
    unused = TagFactory(name="pending-only")
    ReplyFactory(doctor=doctor, question=QuestionFactory(tags=[used]))
    QuestionFactory(tags=[unused])
    ReplyFactory(doctor=doctor, question=PendingQuestionFactory(tags=[unused]))
    assert locations(section(client, "tags")) == [f"http://testserver{used.get_absolute_url()}"]


def test_specialty_and_doctor_sitemaps(client, doctor, specialty):
    assert locations(section(client, "specialties")) == [
        f"http://testserver{specialty.get_absolute_url()}"
    ]
    assert locations(section(client, "doctors")) == [
        f"http://testserver{doctor.get_absolute_url()}"
    ]
    assert locations(section(client, "pages")) == ["http://testserver/"]


def test_sitemap_query_counts_do_not_grow_with_rows(client, doctor, django_assert_num_queries):
    ReplyFactory(doctor=doctor)
    # index: last question id, last tag id, specialties count, doctors count
    with django_assert_num_queries(4):
        client.get("/sitemap.xml")
    with django_assert_num_queries(2):  # last id, the page's rows
        section(client, "questions")
    for _ in range(10):
        ReplyFactory(doctor=doctor, question__tags=["sleep", "stress"])
    with django_assert_num_queries(4):
        client.get("/sitemap.xml")
    with django_assert_num_queries(2):
        assert len(locations(section(client, "questions"))) == 11
    with django_assert_num_queries(2):
        assert len(locations(section(client, "tags"))) == 2


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
