import html as html_lib
import json
import re
from datetime import UTC, date, datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from answers.actions import render_article
from answers.models import Reply
from answers.tests.factories import ArticleFactory, FAQFactory, ReplyFactory
from forum.models import DoctorProfile, ModerationEvent
from forum.tests.factories import DoctorProfileFactory, UserFactory
from forum.tests.two_factor import give_totp, login_with_two_factor, sign_in
from questions.models import Question
from questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

# Every schema.org type and property the page may use (all from https://schema.org).
SCHEMA_TYPES = {"QAPage", "Question", "Answer", "Person", "MedicalWebPage", "MedicalSpecialty"}
SCHEMA_PROPERTIES = {
    "@context", "@type", "@id", "url", "name", "mainEntity", "text", "dateCreated", "author",
    "answerCount", "suggestedAnswer", "specialty", "datePublished", "reviewedBy", "lastReviewed",
}  # fmt: skip


def visible_text(html: str) -> str:
    """The page's main content as a reader sees it, whitespace collapsed."""
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return html_lib.unescape(" ".join(re.sub(r"<[^>]+>", " ", main).split()))


def assert_in_order(text: str, parts: list[str]) -> None:
    position = -1
    for part in parts:
        found = text.find(part, position + 1)
        assert found > position, f"{part!r} missing or out of order"
        position = found


def json_ld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def walk(data):
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from walk(value)
    elif isinstance(data, list):
        for value in data:
            yield from walk(value)


@pytest.fixture
def full_page(question, doctor, specialty):
    """A question with two replies, a reviewed article, a similar question and an FAQ."""
    Question.objects.filter(pk=question.pk).update(
        title="Involuntary thumb twitching?",
        slug="involuntary-thumb-twitching",
        body="My left thumb twitches when I relax.\nIt started last month.\n\nThank you, doctor.",
        age_range="10~19",
        created_at=datetime(2023, 9, 24, 2, 0, tzinfo=UTC),
    )
    question.refresh_from_db()
    question.tags.add("muscle twitching", "sleep")
    ReplyFactory(
        question=question,
        doctor=doctor,
        body="Hello, twitching fingers have many causes.",
        published_at=datetime(2023, 9, 24, 6, 0, tzinfo=UTC),
    )
    second = DoctorProfileFactory(display_name="Peng Shih-wei", specialties=[specialty])
    ReplyFactory(
        question=question,
        doctor=second,
        body="Cutting down on coffee may help.",
        published_at=datetime(2023, 9, 25, 6, 0, tzinfo=UTC),
    )
    ReplyFactory(question=question, status=Reply.Status.HELD, body="Held back for moderation.")
    reviewer = DoctorProfileFactory(display_name="Gao Chun-de", specialties=[specialty])
    article = ArticleFactory(
        title="Muscle twitches: causes and care",
        body="## Causes\n\nTired muscles and **caffeine**.",
        reviewer=reviewer,
        reviewed_on=date(2024, 1, 15),
    )
    render_article(article=article)
    article.questions.add(question)
    similar = QuestionFactory(
        specialty=specialty, tags=["muscle twitching"], title="Eyelid keeps twitching"
    )
    ReplyFactory(question=similar, body="An eyelid twitch usually settles with rest.")
    faq = FAQFactory(question="When should a twitch be checked by a doctor?")
    faq.tags.add("sleep")
    return question


def test_qa_page_shows_every_part_in_order(client, full_page):
    response = client.get(full_page.get_absolute_url())
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert_in_order(
        text,
        [
            "Involuntary thumb twitching? - Neurology",
            "Share to:",
            "Copy link",
            "E-mail",
            "LINE",
            "Facebook",
            "X",
            "My left thumb twitches when I relax.",
            "Heihei, 10~19 year old female. Ask Date: 2023/09/24",
            "Dr. Lin Mei-hua reply Neurology",
            "Hello, twitching fingers have many causes.",
            "Reply Date: 2023/09/24",
            "Dr. Peng Shih-wei reply Neurology",
            "Cutting down on coffee may help.",
            "Reply Date: 2023/09/25",
            "More Info",
            "Muscle twitches: causes and care",
            "Medically reviewed by Dr. Gao Chun-de on 2024/01/15",
            "Causes",
            "Similar Q&A",
            "Eyelid keeps twitching",
            "Dr. Chen Wen-",
            "An eyelid twitch usually settles with rest.",
            "[Read More]",
            "Related FAQ",
            "When should a twitch be checked by a doctor?",
        ],
    )
    assert "Held back for moderation." not in text
    # The <title> keeps the model page's rule: the attached article's title leads it.
    assert "<title>Muscle twitches: causes and care - Neurology - " in response.content.decode()


def test_qa_page_shows_the_medical_disclaimer_once_after_its_content(client, full_page):
    html = client.get(full_page.get_absolute_url()).content.decode()
    text = html_lib.unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))
    assert text.count("Medical disclaimer") == 1
    assert text.index("Related FAQ") < text.index("Medical disclaimer")
    assert "seek care in person" in text


def test_qa_page_heading_uses_question_title_without_article(client, question):
    response = client.get(question.get_absolute_url())
    html = response.content.decode()
    question.refresh_from_db()
    assert (
        f'<h1 id="question-title"><span lang="{question.language}">{question.title}</span>'
        " - Neurology</h1>"
    ) in html
    assert f"<title>{question.title} - Neurology - " in html
    assert "No doctor has replied yet." in visible_text(response.content.decode())


def test_questions_sharing_an_article_keep_their_own_headings_and_similar_titles(
    client, doctor, specialty
):
    article = ArticleFactory(title="High blood pressure: what the numbers mean")
    render_article(article=article)
    cholesterol = QuestionFactory(
        specialty=specialty, title="Is my cholesterol of 240 too high?", tags=["heart"]
    )
    pressure = QuestionFactory(
        specialty=specialty, title="Blood pressure 150/95 in the morning", tags=["heart"]
    )
    for question in (cholesterol, pressure):
        ReplyFactory(question=question, doctor=doctor)
        article.questions.add(question)

    html = client.get(cholesterol.get_absolute_url()).content.decode()

    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert "Is my cholesterol of 240 too high?" in heading
    assert "High blood pressure" not in heading
    # The article's title heads its part of More Info, and still leads the <title>.
    assert '<h3 class="article-title">High blood pressure: what the numbers mean</h3>' in html
    assert "<title>High blood pressure: what the numbers mean - Neurology" in html
    # The other question is listed under its own title, not the shared article's.
    similar = html.split('id="similar-title"', 1)[1]
    assert "Blood pressure 150/95 in the morning" in similar
    assert "High blood pressure: what the numbers mean" not in similar


def test_qa_page_reply_lines_link_to_doctor_profiles(client, full_page, doctor):
    html = client.get(full_page.get_absolute_url()).content.decode()
    doctor_url = reverse("forum:doctor", kwargs={"slug": doctor.slug})
    assert f'<a href="{doctor_url}">Dr. Lin Mei-hua</a> reply Neurology' in html
    assert client.get(doctor_url).status_code == 200


def test_qa_page_suspended_doctor_is_named_without_a_dead_link(client, question, doctor):
    ReplyFactory(question=question, doctor=doctor)
    DoctorProfile.objects.filter(pk=doctor.pk).update(status=DoctorProfile.Status.SUSPENDED)
    html = client.get(question.get_absolute_url()).content.decode()
    assert "Dr. Lin Mei-hua reply Neurology" in html
    assert reverse("forum:doctor", kwargs={"slug": doctor.slug}) not in html


def test_qa_page_plain_text_is_escaped_with_paragraphs_and_nofollow_links(client, question):
    Question.objects.filter(pk=question.pk).update(
        body='<script>alert("x")</script> See https://example.org/a?b=1&c=2.\nNext line\n\nNew part'
    )
    ReplyFactory(question=question, body="Read www.example.org/help <b>now</b>")
    html = client.get(question.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
        "https://example.org/a?b=1&amp;c=2</a>.<br>Next line</p>\n<p>New part</p>"
    ) in html
    assert '<a href="https://www.example.org/help" rel="nofollow ugc noopener">' in html
    assert "&lt;b&gt;now&lt;/b&gt;" in html


def test_qa_page_markdown_article_drops_scripts_handlers_and_javascript_links(client, question):
    article = ArticleFactory(
        title="Safe article",
        body=(
            "Intro <script>alert(1)</script>\n\n"
            '<img src="https://example.org/a.png" onerror="alert(2)">\n\n'
            "[click](javascript:alert(3)) and [ok](https://example.org/ok)\n\n"
            '<a href="JaVaScRiPt:alert(4)" onclick="alert(5)">x</a>'
        ),
    )
    render_article(article=article)
    article.questions.add(question)
    html = client.get(question.get_absolute_url()).content.decode()
    more_info = html.split('id="more-info"', 1)[1].split("</section>", 1)[0]
    assert "Intro" in more_info and 'href="https://example.org/ok"' in more_info
    for bad in ["<script", "alert(1)", "onerror", "onclick", "javascript:"]:
        assert bad not in more_info.lower()


def test_qa_page_head_has_canonical_description_opengraph_and_twitter(client, full_page, settings):
    response = client.get(full_page.get_absolute_url())
    html = response.content.decode()
    canonical = settings.SITE_URL + full_page.get_absolute_url()
    assert f'<link rel="canonical" href="{canonical}">' in html
    description = "My left thumb twitches when I relax. It started last month. Thank you, doctor."
    assert f'<meta name="description" content="{description}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    title = "Muscle twitches: causes and care - Neurology"
    assert f'<meta property="og:title" content="{title}">' in html
    assert f'<meta property="og:description" content="{description}">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert "noindex" not in html


def test_qa_page_json_ld_names_replies_and_the_reviewed_article(client, full_page, settings):
    html = client.get(full_page.get_absolute_url()).content.decode()
    qa_page, medical = json_ld(html)
    canonical = settings.SITE_URL + full_page.get_absolute_url()
    assert qa_page["@type"] == "QAPage" and qa_page["url"] == canonical
    question = qa_page["mainEntity"]
    assert question["@type"] == "Question"
    assert question["name"] == "Involuntary thumb twitching?"
    assert question["answerCount"] == 2
    assert question["author"] == {"@type": "Person", "name": "Heihei"}
    answers = question["suggestedAnswer"]
    assert [a["author"]["name"] for a in answers] == ["Dr. Lin Mei-hua", "Dr. Peng Shih-wei"]
    assert answers[0]["text"] == "Hello, twitching fingers have many causes."
    assert answers[0]["dateCreated"].startswith("2023-09-24T06:00:00")
    assert answers[0]["url"].startswith(canonical + "#reply-")
    assert medical["@type"] == "MedicalWebPage"
    assert medical["name"] == "Muscle twitches: causes and care"
    assert medical["reviewedBy"]["name"] == "Dr. Gao Chun-de"
    assert medical["lastReviewed"] == "2024-01-15"
    assert medical["specialty"] == "https://schema.org/Neurologic"
    for node in walk([qa_page, medical]):
        assert set(node) <= SCHEMA_PROPERTIES
        if "@type" in node:
            assert node["@type"] in SCHEMA_TYPES


def test_qa_page_json_ld_is_escaped_inside_the_script_element(client, question):
    Question.objects.filter(pk=question.pk).update(body="</script><script>alert(1)</script> & more")
    html = client.get(question.get_absolute_url()).content.decode()
    [qa_page, *_] = json_ld(html)
    assert qa_page["mainEntity"]["text"] == "</script><script>alert(1)</script> & more"
    assert "\\u003C/script\\u003E" in html


def test_qa_page_loads_share_script_and_has_no_inline_script_or_style(client, full_page):
    html = client.get(full_page.get_absolute_url()).content.decode()
    assert '<script src="/static/js/share.js" defer></script>' in html
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert all('type="application/ld+json"' in attrs or "src=" in attrs for attrs in scripts)
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)


def test_short_url_and_stale_slug_redirect_permanently_to_the_canonical_url(client, question):
    canonical = question.get_absolute_url()
    short = reverse("questions:detail-short", kwargs={"pk": question.pk})
    stale = reverse("questions:detail", kwargs={"pk": question.pk, "slug": "old-title"})
    for url in [short, stale]:
        response = client.get(url)
        assert response.status_code == 301
        assert response["Location"] == canonical


def test_unknown_question_is_404(client):
    assert client.get(reverse("questions:detail-short", kwargs={"pk": 999})).status_code == 404
    url = reverse("questions:detail", kwargs={"pk": 999, "slug": "nothing"})
    assert client.get(url).status_code == 404
    assert client.get("/questions/99999999999999999999999/x/").status_code == 404
    assert client.get("/questions/99999999999999999999999/").status_code == 404


@pytest.mark.parametrize(
    "status", [Question.Status.PENDING, Question.Status.REJECTED, Question.Status.REMOVED]
)
def test_unpublished_question_is_404_except_for_author_and_moderators(
    client, question, patient, moderator, doctor, status
):
    Question.objects.filter(pk=question.pk).update(status=status, rejection_reason="Has a phone")
    url = question.get_absolute_url()
    short = reverse("questions:detail-short", kwargs={"pk": question.pk})
    assert client.get(url).status_code == 404
    assert client.get(short).status_code == 404
    for outsider in [UserFactory(), doctor.user]:
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.get(short).status_code == 404
    label = Question.Status(status).label.lower()
    for insider in [patient, moderator]:
        sign_in(client, insider)
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert f"This question is {label}: only its author and moderators" in html
        assert '<meta name="robots" content="noindex">' in html
        assert client.get(short)["Location"] == url


@pytest.mark.parametrize("status", [Question.Status.PENDING, Question.Status.REJECTED])
def test_moderator_reads_an_unpublished_question_only_after_two_factor(
    client, question, moderator, status
):
    Question.objects.filter(pk=question.pk).update(status=status)
    url = question.get_absolute_url()
    short = reverse("questions:detail-short", kwargs={"pk": question.pk})
    # No authenticator yet: sent to set one up, the question unseen.
    client.force_login(moderator)
    for path in [url, short]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    # An authenticator, but a session that never used it.
    give_totp(moderator)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert question.body not in response.content.decode()
    assert not ModerationEvent.objects.exists()


def test_every_read_of_an_unpublished_question_by_staff_is_logged(client, question, moderator):
    Question.objects.filter(pk=question.pk).update(status=Question.Status.PENDING)
    login_with_two_factor(client, moderator)
    for _ in range(2):
        assert client.get(question.get_absolute_url()).status_code == 200
    events = ModerationEvent.objects.filter(action=ModerationEvent.Action.READ_UNPUBLISHED)
    assert [(e.actor_id, e.target_id, e.actor_label) for e in events] == [
        (moderator.pk, question.pk, moderator.email)
    ] * 2


def test_reads_by_the_author_and_of_published_pages_are_not_logged(
    client, question, patient, moderator
):
    login_with_two_factor(client, moderator)
    assert client.get(question.get_absolute_url()).status_code == 200
    Question.objects.filter(pk=question.pk).update(status=Question.Status.PENDING)
    client.force_login(patient)
    assert client.get(question.get_absolute_url()).status_code == 200
    assert not ModerationEvent.objects.exists()


@pytest.mark.parametrize("role", ["editor", "staff"])
def test_editors_and_staff_who_do_not_moderate_never_read_unpublished_questions(
    client, question, role, request
):
    user = request.getfixturevalue(role) if role == "editor" else UserFactory(is_staff=True)
    Question.objects.filter(pk=question.pk).update(status=Question.Status.PENDING)
    login_with_two_factor(client, user)
    assert client.get(question.get_absolute_url()).status_code == 404


def question_with_replies(count: int, specialty) -> Question:
    question = QuestionFactory(specialty=specialty, tags=["headache", "sleep"])
    for _ in range(count):
        ReplyFactory(question=question)
    ArticleFactory().questions.add(question)
    return question


# Anonymous, cold page cache: the question (with its replies, tags, the items of its
# stored Similar Q&A list and its Related FAQ), articles (only when one is attached, as
# here). The very first view also ranks and stores the list, then reads its items.
QA_PAGE_QUERIES = 2
QA_PAGE_FIRST_VIEW_QUERIES = QA_PAGE_QUERIES + 3


def cold_page(client, question, django_assert_num_queries, *, first_view: bool):
    cache.clear()
    count = QA_PAGE_FIRST_VIEW_QUERIES if first_view else QA_PAGE_QUERIES
    with django_assert_num_queries(count):
        response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_qa_page_query_count_is_the_same_for_one_or_three_replies(
    client, specialty, django_assert_num_queries
):
    one = question_with_replies(1, specialty)
    three = question_with_replies(3, specialty)
    for question in [one, three]:
        cold_page(client, question, django_assert_num_queries, first_view=True)
        html = cold_page(client, question, django_assert_num_queries, first_view=False)
        assert html.count('class="reply"') == (1 if question == one else 3)


def test_qa_page_query_count_is_the_same_for_no_or_fifty_similar_candidates(
    client, specialty, django_assert_num_queries
):
    question = question_with_replies(1, specialty)
    # With no similar question there are no items to read: one query less.
    cache.clear()
    with django_assert_num_queries(QA_PAGE_FIRST_VIEW_QUERIES - 1):
        html = client.get(question.get_absolute_url()).content.decode()
    assert "No similar questions yet." in html
    for n in range(50):
        candidate = QuestionFactory(specialty=specialty, tags=["headache", "sleep"][: 1 + n % 2])
        ReplyFactory(question=candidate)
        FAQFactory().tags.add("sleep")
    other = question_with_replies(1, specialty)
    cold_page(client, other, django_assert_num_queries, first_view=True)
    html = cold_page(client, other, django_assert_num_queries, first_view=False)
    assert html.count('class="similar-item"') == 4
    assert html.count('class="faq-item"') == 5
