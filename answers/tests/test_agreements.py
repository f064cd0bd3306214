"""Doctors agreeing with doctors (answers:agree, answers/actions/agreements.py): who may
agree, the toggle, what the Q&A page shows, and the counts on the doctor's public
profile and history page."""

import re

import pytest
from django.urls import reverse

from answers.actions.agreements import toggle_agreement
from answers.models import Agreement, Reply
from answers.tests.factories import ReplyFactory
from forum.i18n import url_in_language
from forum.models import DoctorProfile
from forum.tests.factories import DoctorProfileFactory, SpecialtyFactory
from forum.tests.two_factor import sign_in
from questions.models import Question
from questions.tests.changes import assert_pages_invalidated

pytestmark = pytest.mark.django_db


@pytest.fixture
def reply(question, doctor):
    return ReplyFactory(question=question, doctor=doctor)


def agree_url(reply):
    return reverse("answers:agree", kwargs={"pk": reply.pk})


ROLES = [
    "anonymous",
    "author",
    "patient",
    "verified",
    "unverified",
    "suspended",
    "other_specialty",
    "reply_author",
    "moderator",
    "editor",
    "staff",
]


@pytest.mark.parametrize("role", ROLES)
def test_only_a_verified_doctor_of_a_relevant_specialty_may_agree(client, world, role, reply):
    user = world[role]
    if user is not None:
        sign_in(client, user)
    response = client.post(agree_url(reply))
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response.url
    elif role == "verified":
        assert response.status_code == 302
        assert response.url == reply.get_absolute_url()
    else:
        assert response.status_code == 403
    agreed = list(Agreement.objects.values_list("doctor__user", flat=True))
    assert agreed == ([user.pk] if role == "verified" else [])


def test_agreeing_is_post_only(client, world, reply):
    sign_in(client, world["verified"])
    assert client.get(agree_url(reply)).status_code == 405


def test_a_doctor_sharing_the_replying_doctors_specialty_may_agree_on_another_specialty(
    client, specialty, patient
):
    """Relevant specialty: the question's, or one the replying doctor practises."""
    cardiology = SpecialtyFactory(name="Cardiology", slug="cardiology")
    question = Question.objects.create(
        author=patient,
        nickname="Ah-Mei",
        age_range="30~39",
        sex="female",
        specialty=cardiology,
        title="Palpitations and migraines",
        body="I get palpitations when my migraines start.",
        status=Question.Status.PUBLISHED,
    )
    both = DoctorProfileFactory(specialties=[cardiology, specialty])
    reply = ReplyFactory(question=question, doctor=both)
    neurologist = DoctorProfileFactory(specialties=[specialty])
    dermatologist = DoctorProfileFactory(specialties=[SpecialtyFactory(slug="dermatology")])
    sign_in(client, neurologist.user)
    assert client.post(agree_url(reply)).status_code == 302
    sign_in(client, dermatologist.user)
    assert client.post(agree_url(reply)).status_code == 403
    assert list(Agreement.objects.values_list("doctor", flat=True)) == [neurologist.pk]


def test_hidden_replies_and_unpublished_questions_cannot_be_agreed_with(
    client, world, reply, question
):
    sign_in(client, world["verified"])
    Reply.objects.filter(pk=reply.pk).update(status=Reply.Status.HIDDEN)
    assert client.post(agree_url(reply)).status_code == 403
    Reply.objects.filter(pk=reply.pk).update(status=Reply.Status.PUBLISHED)
    Question.objects.filter(pk=question.pk).update(status=Question.Status.REMOVED)
    assert client.post(agree_url(reply)).status_code == 403
    assert client.post(reverse("answers:agree", kwargs={"pk": 10**9})).status_code == 404
    assert not Agreement.objects.exists()


def test_agreeing_toggles_and_refreshes_the_page(world, reply, question):
    colleague = world["verified"].doctor_profile
    with assert_pages_invalidated(question_ids=[question.pk]):
        assert toggle_agreement(reply=reply, doctor=colleague) is True
    assert Agreement.objects.filter(reply=reply, doctor=colleague).count() == 1
    with assert_pages_invalidated(question_ids=[question.pk]):
        assert toggle_agreement(reply=reply, doctor=colleague) is False
    assert not Agreement.objects.exists()


def test_the_page_says_how_many_doctors_agree_with_links_to_their_profiles(
    client, reply, question, specialty
):
    first = DoctorProfileFactory(display_name="Wu Ming", specialties=[specialty])
    second = DoctorProfileFactory(display_name="Tsai Hua", specialties=[specialty])
    suspended = DoctorProfileFactory(display_name="Gone Away", specialties=[specialty])
    page = client.get(question.get_absolute_url()).content.decode()
    assert "doctor agrees" not in page and "doctors agree" not in page
    for colleague in (first, second, suspended):
        toggle_agreement(reply=reply, doctor=colleague)
    DoctorProfile.objects.filter(pk=suspended.pk).update(status=DoctorProfile.Status.SUSPENDED)
    page = client.get(question.get_absolute_url()).content.decode()
    assert (
        f'2 doctors agree: <a href="{first.get_absolute_url()}">Dr. Wu Ming</a>, '
        f'<a href="{second.get_absolute_url()}">Dr. Tsai Hua</a>'
    ) in page
    assert "Gone Away" not in page
    toggle_agreement(reply=reply, doctor=second)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "1 doctor agrees: " in page and "Tsai Hua" not in page


def test_the_agreement_line_in_chinese(client, reply, question, specialty):
    toggle_agreement(
        reply=reply, doctor=DoctorProfileFactory(display_name="吳明", specialties=[specialty])
    )
    page = client.get(url_in_language(question.get_absolute_url(), "zh-hant")).content.decode()
    assert "1 位醫師認同：" in page
    assert "檢舉這則回覆" in page


def test_eligible_doctors_see_the_toggle_and_the_flag_others_do_not(client, world, reply, question):
    seen = {}
    for role in ROLES[1:]:
        sign_in(client, world[role])
        page = client.get(question.get_absolute_url()).content.decode()
        seen[role] = agree_url(reply) in page
        client.logout()
    assert {role for role, shown in seen.items() if shown} == {"verified"}
    sign_in(client, world["verified"])
    client.post(agree_url(reply))
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Withdraw my agreement" in page
    assert "Flag as medically questionable" in page


@pytest.mark.parametrize("agreements", [0, 1, 5])
def test_qa_page_query_count_is_flat_in_the_number_of_agreements(
    client, reply, question, specialty, agreements, django_assert_num_queries
):
    for _ in range(agreements):
        toggle_agreement(reply=reply, doctor=DoctorProfileFactory(specialties=[specialty]))
    client.get(question.get_absolute_url())  # ranks and stores Similar Q&A once
    from django.core.cache import cache

    cache.clear()
    # the page's one statement and its articles check (none attached: no query)
    with django_assert_num_queries(1):
        response = client.get(question.get_absolute_url())
    assert response.content.decode().count('class="agreements"') == (1 if agreements else 0)


@pytest.mark.parametrize("agreements", [0, 1, 5])
def test_a_doctors_view_of_the_page_stays_flat(
    client, world, reply, question, specialty, agreements, django_assert_num_queries
):
    for _ in range(agreements):
        toggle_agreement(reply=reply, doctor=DoctorProfileFactory(specialties=[specialty]))
    sign_in(client, world["verified"])
    client.get(question.get_absolute_url())
    # session, user, the page's statement, the doctor's profile, their specialties, the
    # replying doctors' specialties, the header's groups
    with django_assert_num_queries(7):
        response = client.get(question.get_absolute_url())
    assert agree_url(reply) in response.content.decode()


@pytest.mark.parametrize("agreements", [0, 1, 5])
def test_counts_feed_the_public_profile_and_the_history_page(
    client, reply, doctor, specialty, agreements, django_assert_num_queries
):
    for _ in range(agreements):
        toggle_agreement(reply=reply, doctor=DoctorProfileFactory(specialties=[specialty]))
    profile = doctor.get_absolute_url()
    # the doctor, their specialties, the totals, the latest answers
    with django_assert_num_queries(4):
        page = client.get(profile).content.decode()
    assert f"<dt>Doctors' agreements received</dt><dd>{agreements}</dd>" in page
    sign_in(client, doctor.user)
    history = reverse("answers:history")
    # session, user, the doctor, the count and page of replies, the stats and the
    # delays, the header's groups
    with django_assert_num_queries(8):
        page = client.get(history).content.decode()
    assert f"<dt>Doctors' agreements received</dt><dd>{agreements}</dd>" in page
    counts = re.findall(r'<span class="meta agreement-count">([^<]*)</span>', page)
    expected = {0: [], 1: ["1 doctor agrees"], 5: ["5 doctors agree"]}[agreements]
    assert counts == expected
