import pytest
from django.urls import reverse

from answers.actions import thank_reply
from answers.models import Reply, Thank
from answers.tests.factories import ReplyFactory
from forum.tests.factories import UserFactory
from questions.cache import page_cache_key
from questions.models import Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def reply(question, doctor):
    return ReplyFactory(question=question, doctor=doctor)


def thank_url(reply):
    return reverse("answers:thank", kwargs={"pk": reply.pk})


def test_asker_thanks_a_doctor_once(client, patient, reply):
    client.force_login(patient)
    response = client.post(thank_url(reply))
    assert response.status_code == 302
    assert response.url == reply.get_absolute_url()
    client.post(thank_url(reply))
    reply.refresh_from_db()
    assert reply.thanks_count == 1
    assert Thank.objects.filter(reply=reply, user=patient).count() == 1


def test_thanks_are_counted_per_reply(client, patient, question):
    first, second = ReplyFactory.create_batch(2, question=question)
    client.force_login(patient)
    client.post(thank_url(first))
    client.post(thank_url(second))
    assert list(Reply.objects.order_by("pk").values_list("thanks_count", flat=True)) == [1, 1]


def test_thank_reply_action_is_idempotent_and_refreshes_the_page_after_commit(
    patient, reply, django_capture_on_commit_callbacks
):
    before = page_cache_key(reply.question_id)
    with django_capture_on_commit_callbacks(execute=True):
        assert thank_reply(reply=reply, user=patient) is True
        assert thank_reply(reply=reply, user=patient) is False
    reply.refresh_from_db()
    assert reply.thanks_count == 1
    assert page_cache_key(reply.question_id) != before


def test_only_the_asker_may_thank(client, reply):
    client.force_login(UserFactory())
    assert client.post(thank_url(reply)).status_code == 403
    reply.refresh_from_db()
    assert reply.thanks_count == 0


def test_doctors_cannot_thank_their_own_reply(client, doctor, specialty):
    from questions.tests.factories import QuestionFactory

    own = ReplyFactory(question=QuestionFactory(author=doctor.user), doctor=doctor)
    client.force_login(doctor.user)
    assert client.post(thank_url(own)).status_code == 403


def test_unpublished_replies_cannot_be_thanked(client, patient, question):
    held = ReplyFactory(question=question, status=Reply.Status.HELD)
    client.force_login(patient)
    assert client.post(thank_url(held)).status_code == 403


def test_replies_on_unpublished_questions_cannot_be_thanked(client, patient, reply):
    Question.objects.filter(pk=reply.question_id).update(status=Question.Status.REMOVED)
    client.force_login(patient)
    assert client.post(thank_url(reply)).status_code == 403


def test_thanking_is_post_only_and_needs_an_account(client, patient, reply):
    assert client.post(thank_url(reply)).status_code == 302  # to the log-in page
    client.force_login(patient)
    assert client.get(thank_url(reply)).status_code == 405
    assert client.post(reverse("answers:thank", kwargs={"pk": 999999})).status_code == 404


def test_qa_page_shows_the_thanks_count_button_or_done(client, patient, reply):
    reply.thanks_count = 2
    reply.save()
    url = reply.question.get_absolute_url()
    visitor = client.get(url).content.decode()
    assert "2 thanks" in visitor and "Thank Dr." not in visitor
    client.force_login(patient)
    asker = client.get(url).content.decode()
    assert "2 thanks" in asker
    assert f'action="{thank_url(reply)}"' in asker
    assert 'name="csrfmiddlewaretoken"' in asker
    assert "Thank Dr. Lin Mei-hua" in asker
    Thank.objects.create(reply=reply, user=patient)
    done = client.get(url).content.decode()
    assert "You thanked Dr. Lin Mei-hua" in done and f'action="{thank_url(reply)}"' not in done
