import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from forum.models import ModerationEvent
from forum.tests.factories import DoctorProfileFactory, ModeratorFactory, UserFactory
from forum.tests.two_factor import sign_in
from questions.models import Question, Tag
from questions.tests.changes import assert_pages_invalidated
from questions.tests.factories import PendingQuestionFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db

QUESTION_LIST = "admin:questions_question_changelist"


@pytest.fixture
def editor_client(client, editor):
    sign_in(client, editor)
    return client


@pytest.fixture
def staff_moderator():
    return ModeratorFactory(email="staff-moderator@example.org", is_staff=True)


@pytest.fixture
def moderator_client(client, staff_moderator):
    sign_in(client, staff_moderator)
    return client


def test_question_list_shows_status_specialty_tags_and_answered_date(editor_client, specialty):
    QuestionFactory(
        title="Tingling fingers at night",
        specialty=specialty,
        tags=["numbness", "sleep"],
        answered_at=timezone.make_aware(timezone.datetime(2026, 3, 4, 10, 0)),
    )

    page = editor_client.get(reverse(QUESTION_LIST)).content.decode()

    assert "Tingling fingers at night" in page
    assert '<td class="field-status">Published</td>' in page
    assert '<td class="field-specialty nowrap">Neurology</td>' in page
    assert '<td class="field-tag_list">numbness, sleep</td>' in page
    assert '<td class="field-answered_at nowrap">March 4, 2026' in page


def test_question_list_filters_by_status_and_answered_and_searches_titles(moderator_client):
    pending = PendingQuestionFactory(title="Rash after a new soap")
    answered = QuestionFactory(title="Rash on both arms", answered_at=timezone.now())
    QuestionFactory(title="Dizzy when standing up")

    def titles(params):
        response = moderator_client.get(reverse(QUESTION_LIST), params)
        return {q.title for q in response.context["cl"].result_list}

    assert titles({"status__exact": "pending"}) == {pending.title}
    assert titles({"answered": "yes"}) == {answered.title}
    assert titles({"q": "rash"}) == {pending.title, answered.title}


@pytest.mark.parametrize("rows", [10, 100])
def test_question_list_makes_a_fixed_number_of_queries(
    editor_client, patient, specialty, rows, django_assert_num_queries
):
    QuestionFactory.create_batch(rows, author=patient, specialty=specialty, tags=["a", "b"])
    # session, user, permissions (2), roles (for the moderation actions), specialty filter,
    # count, rows, tags
    with django_assert_num_queries(9):
        response = editor_client.get(reverse(QUESTION_LIST))
    assert response.content.decode().count('<td class="field-tag_list">a, b</td>') == rows


def test_question_text_and_status_are_read_only_in_admin(editor_client, question):
    page = editor_client.get(
        reverse("admin:questions_question_change", args=[question.pk])
    ).content.decode()
    assert question.body in page
    assert 'name="body"' not in page
    assert 'name="status"' not in page
    assert 'name="tags"' in page


def test_moderator_publishes_pending_questions_with_an_audit_event(
    moderator_client, staff_moderator, django_capture_on_commit_callbacks
):
    pending = PendingQuestionFactory(author__email="asker@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            reverse(QUESTION_LIST),
            {"action": "publish_questions", "_selected_action": [pending.pk]},
        )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Question.Status.PUBLISHED
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.target) == (
        "approve_question",
        staff_moderator,
        pending,
    )
    assert mail.outbox[0].to == ["asker@example.org"]


def test_reject_action_asks_for_a_reason_then_rejects_with_an_event(
    moderator_client, staff_moderator, django_capture_on_commit_callbacks
):
    pending = PendingQuestionFactory(title="My phone is 0912-345-678, call me")
    selected = {"action": "reject_questions", "_selected_action": [pending.pk]}

    form_page = moderator_client.post(reverse(QUESTION_LIST), selected)
    empty_reason = moderator_client.post(
        reverse(QUESTION_LIST), {**selected, "apply": "1", "reason": "  "}
    )
    with django_capture_on_commit_callbacks(execute=True):
        done = moderator_client.post(
            reverse(QUESTION_LIST),
            {**selected, "apply": "1", "reason": "Contains a phone number"},
        )

    assert form_page.status_code == 200
    assert '<label for="id_reason">Reason for rejecting:</label>' in form_page.content.decode()
    assert "My phone is 0912-345-678, call me" in form_page.content.decode()
    assert "This field is required." in empty_reason.content.decode()
    assert done.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Question.Status.REJECTED
    assert pending.rejection_reason == "Contains a phone number"
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.reason) == (
        "reject_question",
        staff_moderator,
        "Contains a phone number",
    )
    assert "Contains a phone number" in mail.outbox[0].body


def test_publish_action_skips_removed_questions(moderator_client):
    removed = QuestionFactory(status=Question.Status.REMOVED)
    response = moderator_client.post(
        reverse(QUESTION_LIST),
        {"action": "publish_questions", "_selected_action": [removed.pk]},
        follow=True,
    )
    removed.refresh_from_db()
    assert removed.status == Question.Status.REMOVED
    assert "1 skipped" in response.content.decode()
    assert not ModerationEvent.objects.exists()


def test_editors_get_no_publish_or_reject_actions(editor_client):
    pending = PendingQuestionFactory()
    page = editor_client.get(reverse(QUESTION_LIST)).content.decode()
    editor_client.post(
        reverse(QUESTION_LIST), {"action": "publish_questions", "_selected_action": [pending.pk]}
    )
    assert "publish_questions" not in page
    assert "reject_questions" not in page
    pending.refresh_from_db()
    assert pending.status == Question.Status.PENDING
    assert not ModerationEvent.objects.exists()


def test_moderator_sees_attached_articles_read_only(moderator_client, question):
    page = moderator_client.get(
        reverse("admin:questions_question_change", args=[question.pk])
    ).content.decode()
    assert "Attached articles (More Info)" in page
    assert "Article_questions-TOTAL_FORMS" in page
    assert "Article_questions-__prefix__" not in page  # no empty form: nothing to add


# Unpublished questions: moderators only (issue 14, finding 8)

PATIENT_TEXT = "My neighbour Mrs Chen saw the rash on my thighs."


def _every_status():
    """One question in each status, each with its own title and the same private text."""
    return {
        status: QuestionFactory(
            title=f"Question that is {status}", body=PATIENT_TEXT, status=status
        )
        for status in Question.Status.values
    }


def test_editor_lists_and_finds_only_published_questions(editor_client):
    questions = _every_status()
    page = editor_client.get(reverse(QUESTION_LIST)).content.decode()
    assert "Question that is published" in page
    for status in ("pending", "rejected", "removed"):
        assert f"Question that is {status}" not in page
    for params in ({"q": "Question that is"}, {"status__exact": "pending"}):
        response = editor_client.get(reverse(QUESTION_LIST), params)
        listed = {q.pk for q in response.context["cl"].result_list}
        assert listed == ({questions["published"].pk} if "q" in params else set())
    assert 'href="?status__exact=pending"' not in page  # no status filter to try


@pytest.mark.parametrize("status", ["pending", "rejected", "removed"])
def test_editor_gets_404_for_an_unpublished_questions_admin_pages(editor_client, status):
    question = _every_status()[status]
    for view in ("change", "history"):
        response = editor_client.get(
            reverse(f"admin:questions_question_{view}", args=[question.pk])
        )
        assert response.status_code == 404
        assert PATIENT_TEXT not in response.content.decode()
        assert question.title not in response.content.decode()


def test_editor_cannot_change_an_unpublished_questions_tags(editor_client):
    pending = PendingQuestionFactory(tags=["rash"])
    response = editor_client.post(
        reverse("admin:questions_question_change", args=[pending.pk]), {"tags": "changed"}
    )
    assert response.status_code == 404
    assert [tag.name for tag in Question.objects.get(pk=pending.pk).tags.all()] == ["rash"]


def test_editor_still_opens_a_published_questions_change_page(editor_client):
    published = _every_status()["published"]
    response = editor_client.get(reverse("admin:questions_question_change", args=[published.pk]))
    assert response.status_code == 200
    assert PATIENT_TEXT in response.content.decode()


def test_editor_autocomplete_offers_only_published_questions(editor_client):
    _every_status()
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "answers",
            "model_name": "article",
            "field_name": "questions",
            "term": "Question that is",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Question that is published"]


def test_unknown_question_id_is_404_too(editor_client):
    url = reverse("admin:questions_question_change", args=[999999])
    assert editor_client.get(url).status_code == 404


@pytest.fixture
def superuser():
    return UserFactory(email="root@example.org", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("who", ["staff_moderator", "superuser"])
def test_moderators_and_superusers_see_every_question_in_admin(client, request, who):
    sign_in(client, request.getfixturevalue(who))
    questions = _every_status()
    page = client.get(reverse(QUESTION_LIST)).content.decode()
    for status in Question.Status.values:
        assert f"Question that is {status}" in page
    pending = questions["pending"]
    response = client.get(reverse("admin:questions_question_change", args=[pending.pk]))
    assert response.status_code == 200
    assert PATIENT_TEXT in response.content.decode()


def _role_user(role):
    if role == "patient":
        return UserFactory(email="asker@example.org")
    if role == "doctor":
        return DoctorProfileFactory().user
    if role == "moderator":  # a moderator without staff status has no admin
        return ModeratorFactory(email="plain-moderator@example.org")
    if role == "staff":  # staff, but in no group: no rights on questions
        return UserFactory(email="staff@example.org", is_staff=True)
    return None


@pytest.mark.parametrize("role", ["anonymous", "patient", "doctor", "moderator", "staff"])
def test_other_roles_never_see_a_pending_question_in_admin(client, role):
    user = _role_user(role)
    if user is not None:
        sign_in(client, user)
    pending = PendingQuestionFactory(body=PATIENT_TEXT)
    # Staff in no group: no right to the list (403), and the question is not theirs to find.
    for url, staff_gets in (
        (reverse(QUESTION_LIST), 403),
        (reverse("admin:questions_question_change", args=[pending.pk]), 404),
    ):
        response = client.get(url)
        expected = staff_gets if role == "staff" else 302
        assert response.status_code == expected
        if expected == 302:
            assert response.url.startswith(reverse("admin:login"))
        assert PATIENT_TEXT not in response.content.decode()


# Tags: renaming


def test_tag_rename_keeps_slugs_unique_and_refreshes_pages(editor_client):
    tag = TagFactory(name="head ache", slug="head-ache")
    TagFactory(name="migraine", slug="migraine")
    url = reverse("admin:questions_tag_change", args=[tag.pk])

    with assert_pages_invalidated(all_pages=False):
        clash = editor_client.post(url, {"name": "headache", "slug": "migraine", "description": ""})
    with assert_pages_invalidated(all_pages=True):
        renamed = editor_client.post(
            url, {"name": "headache", "slug": "headache", "description": ""}
        )

    assert "Another tag already uses this slug." in clash.content.decode()
    assert renamed.status_code == 302
    tag.refresh_from_db()
    assert (tag.name, tag.slug) == ("headache", "headache")


def test_tag_rename_refuses_a_name_differing_only_in_capitals(editor_client):
    TagFactory(name="asthma", slug="asthma")
    tag = TagFactory(name="athsma", slug="athsma")
    response = editor_client.post(
        reverse("admin:questions_tag_change", args=[tag.pk]),
        {"name": "Asthma", "slug": "asthma-2", "description": ""},
    )
    assert "differs only in capitals: merge the two tags instead" in response.content.decode()
    assert Tag.objects.get(pk=tag.pk).name == "athsma"


def test_moderator_opening_an_unpublished_question_in_admin_is_logged(
    moderator_client, staff_moderator
):
    from forum.models import ModerationEvent

    pending = PendingQuestionFactory()
    published = QuestionFactory()
    for question in (pending, published):
        url = reverse("admin:questions_question_change", args=[question.pk])
        assert moderator_client.get(url).status_code == 200
    events = ModerationEvent.objects.filter(action=ModerationEvent.Action.READ_UNPUBLISHED)
    assert [(e.actor, e.target_id) for e in events] == [(staff_moderator, pending.pk)]


# Specialties: the forum admin, re-registered with what an edit refreshes


def test_admin_rename_of_a_specialty_invalidates_every_page(
    client, login_with_two_factor, question
):
    from forum.tests.factories import UserFactory
    from questions.tests.changes import assert_pages_invalidated

    login_with_two_factor(
        client, UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    )
    specialty = question.specialty
    url = reverse("admin:forum_specialty_change", args=[specialty.pk])
    data = {
        "name": "Neurology and Headache",
        "slug": specialty.slug,
        "description": "",
        "position": 0,
    }

    with assert_pages_invalidated(question_ids=[question.pk], all_pages=True):
        response = client.post(url, data)

    assert response.status_code == 302
    specialty.refresh_from_db()
    assert specialty.name == "Neurology and Headache"
