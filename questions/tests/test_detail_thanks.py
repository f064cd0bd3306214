import pytest
from django.utils import timezone

from answers.models import Thank
from answers.tests.factories import ReplyFactory
from forum.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_asker_sees_a_thank_button_per_reply_and_then_that_they_thanked(client, patient, question):
    first = ReplyFactory(question=question, doctor__display_name="Lin Mei-hua")
    ReplyFactory(question=question, doctor__display_name="Chen Wen")
    client.login(email=patient.email, password=PASSWORD)

    page = client.get(question.get_absolute_url()).content.decode()
    assert "Thank Dr. Lin Mei-hua" in page
    assert "Thank Dr. Chen Wen" in page

    Thank.objects.create(reply=first, user=patient)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "You thanked Dr. Lin Mei-hua for this answer." in page
    assert "Thank Dr. Lin Mei-hua" not in page
    assert "Thank Dr. Chen Wen" in page


def test_other_readers_see_no_thank_button(client, question):
    ReplyFactory(question=question, doctor__display_name="Lin Mei-hua")
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Thank Dr." not in page


def test_edited_reply_is_marked_edited_on_the_page(client, question):
    ReplyFactory(question=question, edited_at=timezone.now())
    page = client.get(question.get_absolute_url()).content.decode()
    assert "&middot; edited" in page or "· edited" in page


def test_asker_page_query_count_is_fixed(client, patient, question, django_assert_num_queries):
    ReplyFactory(question=question)
    client.login(email=patient.email, password=PASSWORD)
    client.get(question.get_absolute_url())
    # session, user, viewer roles (2), question (with its replies, tags, Similar Q&A,
    # Related FAQ and whether an article is attached: none here), thanked replies, the
    # asker's own follow-ups
    with django_assert_num_queries(7):
        client.get(question.get_absolute_url())
    ReplyFactory.create_batch(3, question=question)
    with django_assert_num_queries(7):
        client.get(question.get_absolute_url())
