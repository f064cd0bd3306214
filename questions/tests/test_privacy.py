"""A patient's e-mail address never appears on a page: public pages, the pages of other
users, or the patient's own question pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from answers.tests.factories import ReplyFactory
from forum.tests.factories import PASSWORD, UserFactory
from questions.tests.factories import PendingQuestionFactory, QuestionFactory

pytestmark = pytest.mark.django_db

EMAIL = "hidden.person@example.org"


@pytest.fixture
def private_patient():
    return UserFactory(email=EMAIL, first_name="Hidden", last_name="Person")


@pytest.fixture
def pages(private_patient, specialty, doctor):
    answered = QuestionFactory(
        author=private_patient, specialty=specialty, tags=["sleep"], nickname="Owl"
    )
    ReplyFactory(question=answered, doctor=doctor)
    answered.refresh_from_db()
    pending = PendingQuestionFactory(author=private_patient, specialty=specialty)
    return [
        reverse("forum:home"),
        specialty.get_absolute_url(),
        doctor.get_absolute_url(),
        reverse("questions:tag", kwargs={"slug": "sleep"}),
        answered.get_absolute_url(),
        pending.get_absolute_url(),
        reverse("questions:ask"),
        reverse("questions:mine"),
        reverse("questions:asked", kwargs={"pk": pending.pk}),
        reverse("questions:edit", kwargs={"pk": pending.pk}),
        reverse("questions:delete-account"),
        reverse("questions:similar-titles") + "?q=head+ache+morning",
    ]


def assert_private(response):
    content = response.content.decode().lower()
    assert EMAIL not in content
    assert "hidden.person" not in content
    assert "hidden person" not in content


def test_no_page_shows_the_patient_email_to_visitors(client, pages):
    for url in pages:
        assert_private(client.get(url, follow=True))


def test_no_page_shows_the_patient_email_to_other_users(client, pages, moderator, doctor):
    for user in (UserFactory(), moderator, doctor.user):
        client.force_login(user)
        for url in pages:
            assert_private(client.get(url, follow=True))


def test_no_question_page_shows_the_patient_their_own_email(client, pages, private_patient):
    response = client.post(
        reverse("account_login"), {"login": EMAIL, "password": PASSWORD}, follow=True
    )
    assert_private(response)
    for url in pages:
        assert_private(client.get(url, follow=True))


def test_unverified_patient_page_does_not_show_the_email(client):
    user = UserFactory(email=EMAIL, verified_email=False)
    client.force_login(user)
    assert_private(client.get(reverse("questions:ask")))
    assert_private(client.post(reverse("questions:resend-verification"), follow=True))


def test_questions_kept_after_account_deletion_show_only_the_nickname(client, private_patient):
    question = QuestionFactory(author=private_patient, nickname="Owl", answered_at=timezone.now())
    client.force_login(private_patient)
    client.post(
        reverse("questions:delete-account"),
        {"published_questions": "keep", "password": PASSWORD},
    )
    response = client.get(question.get_absolute_url())
    assert "Owl" in response.content.decode()
    assert_private(response)
