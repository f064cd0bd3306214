"""The editors' admin screens: articles and FAQs (preview, publishing rules, query
counts), the extended question and tag admins (attached articles, tag merging), and who
may see what. Long because each screen's rules are tested per role here, next to the
shared fixtures; doctor profiles are test_admin_doctors.py."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from answers.models import FAQ, Article
from answers.tests.factories import ArticleFactory, FAQFactory, ReplyFactory
from forum.models import DoctorProfile, ModerationEvent
from forum.roles import EDITORS
from forum.tests.factories import DoctorProfileFactory, ModeratorFactory, SpecialtyFactory
from forum.tests.two_factor import sign_in
from questions.cache import page_cache_key
from questions.models import Question
from questions.tests.factories import PendingQuestionFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db

ARTICLE_ADD = "admin:answers_article_add"
ARTICLE_LIST = "admin:answers_article_changelist"
ARTICLE_PREVIEW = "admin:answers_article_preview"


@pytest.fixture
def editor_client(client, editor):
    sign_in(client, editor)
    return client


def _article_form(**overrides):
    data = {
        "title": "When a headache needs a doctor",
        "slug": "when-a-headache-needs-a-doctor",
        "body": "## Warning signs\n\n- Sudden, severe pain\n- Fever and a stiff neck\n",
        "status": "published",
        "reviewer": "",
        "reviewed_on": timezone.localdate().isoformat(),
        "questions": [],
        "_save": "Save",
    }
    data.update(overrides)
    return data


def test_editor_publishes_an_article_in_admin_and_both_qa_pages_show_it(
    editor_client, editor, doctor
):
    first = QuestionFactory(title="Headache every morning")
    second = QuestionFactory(title="Headache after screen time")
    data = _article_form(reviewer=doctor.pk, questions=[first.pk, second.pk])

    response = editor_client.post(reverse(ARTICLE_ADD), data)

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.author == editor
    assert article.published_at is not None
    assert "<h2>Warning signs</h2>" in article.body_html
    assert set(Article.objects.published().filter(questions=first)) == {article}
    assert set(Article.objects.published().filter(questions=second)) == {article}
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.target) == ("publish_article", editor, article)
    for question in (first, second):
        page = Client().get(question.get_absolute_url()).content.decode()
        more_info = page[page.index("More Info") :]
        assert "When a headache needs a doctor" in more_info
        assert "<li>Sudden, severe pain</li>" in more_info
        assert "Medically reviewed by Dr. Lin Mei-hua" in strip_tags(more_info)


def test_editor_cannot_attach_an_article_to_an_unpublished_question(editor_client, doctor):
    pending = PendingQuestionFactory(title="A pending question about sleep")
    data = _article_form(reviewer=doctor.pk, questions=[pending.pk])
    response = editor_client.post(reverse(ARTICLE_ADD), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert "A pending question about sleep" not in response.content.decode()
    assert not Article.objects.exists()


def test_moderator_editor_may_attach_an_article_to_a_pending_question(client, doctor):
    moderator = ModeratorFactory(is_staff=True)
    moderator.groups.add(Group.objects.get(name=EDITORS))
    moderator.user_permissions.add(*Permission.objects.filter(codename__endswith="_article"))
    sign_in(client, moderator)
    pending = PendingQuestionFactory()
    response = client.post(
        reverse(ARTICLE_ADD), _article_form(reviewer=doctor.pk, questions=[pending.pk])
    )
    assert response.status_code == 302
    assert list(Article.objects.get().questions.all()) == [pending]


def test_editing_an_article_keeps_its_link_to_a_question_unpublished_since(editor_client, doctor):
    question = QuestionFactory()
    article = ArticleFactory(title="Sleep and shifts", slug="sleep-and-shifts")
    article.questions.add(question)
    Question.objects.filter(pk=question.pk).update(status=Question.Status.REMOVED)
    data = _article_form(
        title="Sleep and shift work",
        slug="sleep-and-shifts",
        reviewer=doctor.pk,
        questions=[question.pk],
    )
    url = reverse("admin:answers_article_change", args=[article.pk])
    assert editor_client.post(url, data).status_code == 302
    assert list(Article.objects.get().questions.all()) == [question]


def test_draft_article_shows_nowhere(editor_client, doctor):
    question = QuestionFactory()
    data = _article_form(status="draft", reviewer=doctor.pk, questions=[question.pk])

    editor_client.post(reverse(ARTICLE_ADD), data)

    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert not Article.objects.published().exists()
    assert not ModerationEvent.objects.exists()
    page = Client().get(question.get_absolute_url()).content.decode()
    assert "More Info" not in page
    assert "When a headache needs a doctor" not in page


def test_article_admin_refuses_publishing_without_review_and_keeps_the_text(editor_client):
    data = _article_form(reviewed_on="", body="My **draft** text")

    response = editor_client.post(reverse(ARTICLE_ADD), data)

    assert response.status_code == 200
    assert "A published article needs a medical reviewer." in response.content.decode()
    assert "A published article needs a review date." in response.content.decode()
    assert "My **draft** text" in response.content.decode()
    assert not Article.objects.exists()


def test_article_admin_offers_only_verified_doctors_as_reviewers(editor_client, doctor):
    suspended = DoctorProfileFactory(
        display_name="Wu Suspended", status=DoctorProfile.Status.SUSPENDED
    )

    page = editor_client.get(reverse(ARTICLE_ADD)).content.decode()
    response = editor_client.post(reverse(ARTICLE_ADD), _article_form(reviewer=suspended.pk))

    assert "Dr. Lin Mei-hua" in page
    assert "Wu Suspended" not in page
    assert "Select a valid choice" in response.content.decode()
    assert not Article.objects.exists()


def test_article_admin_refuses_a_review_date_in_the_future(editor_client, doctor):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = editor_client.post(
        reverse(ARTICLE_ADD), _article_form(reviewer=doctor.pk, reviewed_on=tomorrow.isoformat())
    )
    assert "The review date cannot be in the future." in response.content.decode()


def test_article_form_uses_autocomplete_and_the_preview_script(editor_client):
    page = editor_client.get(reverse(ARTICLE_ADD)).content.decode()
    assert 'data-markdown-preview="/admin/answers/article/preview/"' in page
    assert "js/admin_preview.js" in page
    assert "admin-autocomplete" in page
    assert "<script>" not in page.replace(" ", "")  # our additions bring no inline script


def test_question_autocomplete_finds_published_questions_by_title(editor_client):
    QuestionFactory(title="Migraine with aura")
    PendingQuestionFactory(title="Migraine at night")
    QuestionFactory(title="Knee pain after running")

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "answers",
            "model_name": "article",
            "field_name": "questions",
            "term": "migraine",
        },
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Migraine with aura"]


def test_markdown_preview_returns_sanitized_html(editor_client):
    response = editor_client.post(
        reverse(ARTICLE_PREVIEW),
        {"text": "## Rest\n\n<img src=x onerror=alert(1)>[x](javascript:alert(1))"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    html = response.json()["html"]
    assert html.startswith("<h2>Rest</h2>")
    assert "onerror" not in html
    assert "javascript" not in html


def test_markdown_preview_is_post_only_and_needs_the_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, editor)
    assert client.get(reverse(ARTICLE_PREVIEW)).status_code == 405
    assert client.post(reverse(ARTICLE_PREVIEW), {"text": "hi"}).status_code == 403


def test_markdown_preview_refuses_too_long_text(editor_client):
    response = editor_client.post(reverse(ARTICLE_PREVIEW), {"text": "a" * 100_001})
    assert response.status_code == 400


def test_markdown_preview_refuses_staff_without_article_rights(client):
    moderator = ModeratorFactory(is_staff=True)
    sign_in(client, moderator)
    assert client.post(reverse(ARTICLE_PREVIEW), {"text": "hi"}).status_code == 403


def test_markdown_preview_sends_non_staff_to_the_admin_login(client, patient):
    sign_in(client, patient)
    response = client.post(reverse(ARTICLE_PREVIEW), {"text": "hi"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_article_list_counts_questions_and_filters_by_specialty_and_reviewer(editor_client, doctor):
    cardiology = SpecialtyFactory(name="Cardiology", slug="cardiology")
    heart = ArticleFactory(title="Palpitations explained", reviewer=doctor)
    heart.questions.add(*QuestionFactory.create_batch(3, specialty=cardiology))
    other = ArticleFactory(title="Sleep and headaches")
    other.questions.add(QuestionFactory())

    listing = editor_client.get(reverse(ARTICLE_LIST)).content.decode()
    by_specialty = editor_client.get(reverse(ARTICLE_LIST), {"question_specialty": "cardiology"})
    by_reviewer = editor_client.get(reverse(ARTICLE_LIST), {"reviewer__id__exact": doctor.pk})

    assert '<td class="field-question_count">3</td>' in listing
    assert '<td class="field-question_count">1</td>' in listing
    assert list(by_specialty.context["cl"].result_list) == [heart]
    assert list(by_reviewer.context["cl"].result_list) == [heart]


def _article_rows(count, doctor, editor):
    specialty = SpecialtyFactory()
    questions = QuestionFactory.create_batch(3, specialty=specialty)
    for article in ArticleFactory.create_batch(count, reviewer=doctor, author=editor):
        article.questions.add(*questions)


@pytest.mark.parametrize("rows", [10, 100])
def test_article_list_makes_a_fixed_number_of_queries(
    editor_client, editor, doctor, rows, django_assert_num_queries
):
    _article_rows(rows, doctor, editor)
    # session, user, permissions (2), filter choices (reviewers, specialties), counts (2),
    # the page of rows, the count of articles past their review date (the notice)
    with django_assert_num_queries(10):
        response = editor_client.get(reverse(ARTICLE_LIST))
    assert len(response.context["cl"].result_list) == rows


def test_publish_action_publishes_reviewed_drafts_and_skips_unreviewed(editor_client, editor):
    reviewed = ArticleFactory(status="draft", published_at=None)
    unreviewed = ArticleFactory(status="draft", published_at=None, reviewer=None)

    response = editor_client.post(
        reverse(ARTICLE_LIST),
        {"action": "publish_articles", "_selected_action": [reviewed.pk, unreviewed.pk]},
        follow=True,
    )

    reviewed.refresh_from_db()
    unreviewed.refresh_from_db()
    assert reviewed.status == "published" and reviewed.published_at is not None
    assert unreviewed.status == "draft"
    assert "1 article was not published" in response.content.decode()
    assert ModerationEvent.objects.get().action == "publish_article"


def test_unpublish_action_moves_articles_back_to_draft(editor_client, editor):
    article = ArticleFactory()
    editor_client.post(
        reverse(ARTICLE_LIST), {"action": "unpublish_articles", "_selected_action": [article.pk]}
    )
    article.refresh_from_db()
    assert article.status == "draft"
    assert ModerationEvent.objects.get().action == "unpublish_article"


def test_deleting_a_published_article_refreshes_its_question_pages(editor_client):
    question = QuestionFactory()
    article = ArticleFactory()
    article.questions.add(question)
    key_before = page_cache_key(question.pk)

    response = editor_client.post(
        reverse("admin:answers_article_delete", args=[article.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Article.objects.exists()
    assert page_cache_key(question.pk) != key_before


# FAQs


def test_editor_creates_an_faq_with_rendered_answer_and_tags(editor_client, specialty):
    response = editor_client.post(
        reverse("admin:answers_faq_add"),
        {
            "question": "Should I take painkillers every day?",
            "answer": "Not for long: see [a doctor](/faq/). <script>x</script>",
            "specialty": specialty.pk,
            "tags": "headache, painkillers",
            "is_published": "on",
            "position": "0",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    faq = FAQ.objects.get()
    assert faq.answer_html == (
        '<p>Not for long: see <a href="/faq/" rel="nofollow noopener noreferrer">a doctor</a>. </p>'
    )
    assert sorted(faq.tags.names()) == ["headache", "painkillers"]


def test_faq_preview_answers_editors(editor_client):
    response = editor_client.post(reverse("admin:answers_faq_preview"), {"text": "*hi*"})
    assert response.json() == {"html": "<p><em>hi</em></p>"}


@pytest.mark.parametrize("rows", [10, 100])
def test_faq_list_makes_a_fixed_number_of_queries(
    editor_client, specialty, rows, django_assert_num_queries
):
    for faq in FAQFactory.create_batch(rows, specialty=specialty):
        faq.tags.add("fever", "cold")
    # session, user, permissions (2), specialty filter, counts (2), rows, their tags
    with django_assert_num_queries(9):
        response = editor_client.get(reverse("admin:answers_faq_changelist"))
    assert response.content.decode().count("cold, fever") == rows


# The question admin, extended here with replies and attached articles


def test_editor_sees_replies_read_only_and_attached_articles_on_a_question(editor_client, question):
    ReplyFactory(question=question, body="Drink more water and sleep regularly.")
    ArticleFactory(title="Hydration and headaches").questions.add(question)

    page = editor_client.get(
        reverse("admin:questions_question_change", args=[question.pk])
    ).content.decode()

    assert "Drink more water and sleep regularly." in page
    assert 'name="replies-0-body"' not in page
    assert "Hydration and headaches" in page


ARTICLE_INLINE = "Article_questions"  # the formset prefix Django gives the M2M table


def question_change_form(question, *, tags: str, articles=()) -> dict:
    """The question admin's change form: its tags, no reply rows, these articles attached."""
    data = {
        "tags": tags,
        "replies-TOTAL_FORMS": "0",
        "replies-INITIAL_FORMS": "0",
        f"{ARTICLE_INLINE}-TOTAL_FORMS": str(len(articles)),
        f"{ARTICLE_INLINE}-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    for n, article in enumerate(articles):
        data[f"{ARTICLE_INLINE}-{n}-article"] = article.pk
        data[f"{ARTICLE_INLINE}-{n}-question"] = question.pk
    return data


def test_editor_attaches_an_article_through_the_question_inline(editor_client, question):
    article = ArticleFactory(title="Hydration and headaches")
    key_before = page_cache_key(question.pk)
    response = editor_client.get(reverse("admin:questions_question_change", args=[question.pk]))
    assert f"{ARTICLE_INLINE}-TOTAL_FORMS" in response.content.decode()

    response = editor_client.post(
        reverse("admin:questions_question_change", args=[question.pk]),
        question_change_form(question, tags="", articles=[article]),
    )

    assert response.status_code == 302
    assert list(question.articles.all()) == [article]
    assert page_cache_key(question.pk) != key_before


def test_retagging_in_admin_ranks_the_old_and_new_neighbours_lists_anew(
    editor_client, question, specialty
):
    question.tags.add("cough")
    old_neighbour = QuestionFactory(specialty=specialty, tags=["cough"])
    new_neighbour = QuestionFactory(specialty=specialty, tags=["fever"])
    unrelated = QuestionFactory(specialty=specialty, tags=["rash"])
    Question.objects.update(similar_ids=[])
    response = editor_client.post(
        reverse("admin:questions_question_change", args=[question.pk]),
        question_change_form(question, tags="fever"),
    )
    assert response.status_code == 302
    assert list(question.tags.names()) == ["fever"]
    stale = set(Question.objects.filter(similar_ids__isnull=True).values_list("pk", flat=True))
    assert stale == {question.pk, old_neighbour.pk, new_neighbour.pk}
    assert unrelated.pk not in stale


# Tags: merging


def test_tag_merge_action_asks_which_tag_to_keep_then_merges(editor_client, editor):
    keep = TagFactory(name="headache")
    duplicate = TagFactory(name="head ache")
    question = QuestionFactory(tags=[duplicate])
    faq = FAQFactory()
    faq.tags.add(duplicate)
    url = reverse("admin:questions_tag_changelist")
    selected = {"action": "merge_selected_tags", "_selected_action": [keep.pk, duplicate.pk]}

    confirm = editor_client.post(url, selected)
    assert confirm.status_code == 200
    assert "Tag to keep" in confirm.content.decode()

    response = editor_client.post(url, {**selected, "apply": "1", "keep": keep.pk})

    assert response.status_code == 302
    assert list(question.tags.names()) == ["headache"]
    assert list(faq.tags.names()) == ["headache"]
    assert ModerationEvent.objects.get().action == "merge_tags"


def test_tag_merge_needs_two_tags(editor_client):
    tag = TagFactory(name="fever")
    response = editor_client.post(
        reverse("admin:questions_tag_changelist"),
        {"action": "merge_selected_tags", "_selected_action": [tag.pk]},
        follow=True,
    )
    assert "Select at least two tags to merge." in response.content.decode()


@pytest.mark.parametrize("rows", [10, 100])
def test_tag_list_makes_a_fixed_number_of_queries(editor_client, rows, django_assert_num_queries):
    tags = TagFactory.create_batch(rows)
    QuestionFactory(tags=tags)
    # session, user, permissions (2), counts (2), rows with their question and FAQ counts
    with django_assert_num_queries(7):
        response = editor_client.get(reverse("admin:questions_tag_changelist"))
    assert len(response.context["cl"].result_list) == rows
    assert '<td class="field-question_count">1</td>' in response.content.decode()
