"""Who a question is about, on the Q&A page, the doctor dashboard and the reply form, and
each reply's own doctor's credentials (specialties, hospital, licence verification date)."""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from answers.page_data import load_question
from answers.tests.factories import ReplyFactory
from forum.i18n import url_in_language
from forum.models import DoctorProfile
from forum.tests.factories import DoctorProfileFactory, SpecialtyFactory
from forum.tests.two_factor import sign_in
from questions.models import Question
from questions.tests.factories import QuestionFactory
from questions.tests.test_qa_page import QA_PAGE_QUERIES, visible_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "subject,sex,english,chinese",
    [
        ("self", "female", "Heihei, 0~9 year old female", "Heihei，0~9歲女性"),
        (
            "child",
            "female",
            "Asked by Heihei about their child, 0~9 year old female",
            "Heihei 為孩子發問，0~9歲女性",
        ),
        (
            "parent",
            "male",
            "Asked by Heihei about their parent, 0~9 year old male",
            "Heihei 為父母發問，0~9歲男性",
        ),
        (
            "partner",
            "undisclosed",
            "Asked by Heihei about their partner, 0~9 year old person",
            "Heihei 為伴侶發問，0~9歲",
        ),
        (
            "other",
            "other",
            "Asked by Heihei about someone else, 0~9 year old person",
            "Heihei 為親友發問，0~9歲",
        ),
    ],
)
def test_patient_description_names_whom_the_question_is_about(subject, sex, english, chinese):
    question = Question(nickname="Heihei", age_range="0~9", sex=sex, subject=subject)
    assert question.patient_description() == english
    with translation.override("zh-hant"):
        assert question.patient_description() == chinese


def test_qa_page_patient_line_says_whom_it_is_about_in_both_languages(client, specialty):
    question = QuestionFactory(
        specialty=specialty, nickname="New Dad", subject="child", age_range="0~9", sex="female"
    )
    ask_date = f"{timezone.localtime(question.created_at):%Y/%m/%d}"
    text = visible_text(client.get(question.get_absolute_url()).content.decode())
    assert f"Asked by New Dad about their child, 0~9 year old female. Ask Date: {ask_date}" in text
    chinese = visible_text(
        client.get(url_in_language(question.get_absolute_url(), "zh-hant")).content.decode()
    )
    assert f"New Dad 為孩子發問，0~9歲女性。發問日期： {ask_date}" in chinese


def test_qa_page_patient_line_for_oneself_keeps_the_model_page_wording(client, question):
    ask_date = f"{timezone.localtime(question.created_at):%Y/%m/%d}"
    text = visible_text(client.get(question.get_absolute_url()).content.decode())
    assert f"Heihei, 30~39 year old female. Ask Date: {ask_date}" in text
    assert "Asked by" not in text


@pytest.fixture
def two_doctors_replied(question, specialty):
    """Two replies by doctors with their own specialties and hospitals, one of them
    outside the question's specialty."""
    cardiology = SpecialtyFactory(name="Cardiology", name_zh_hant="心臟內科", slug="cardiology")
    family = SpecialtyFactory(
        name="Family Medicine", name_zh_hant="家庭醫學科", slug="family", position=0
    )
    first = DoctorProfileFactory(
        display_name="Ho Kai-lin",
        hospital="Harbour General Hospital",
        verified_at=datetime(2025, 3, 4, 9, 0, tzinfo=UTC),
        specialties=[specialty, family],
    )
    second = DoctorProfileFactory(
        display_name="Lin Mei-hua",
        hospital="Riverside Clinic",
        verified_at=datetime(2024, 11, 20, 9, 0, tzinfo=UTC),
        specialties=[cardiology],
    )
    ReplyFactory(question=question, doctor=first)
    ReplyFactory(question=question, doctor=second)
    return question


def test_each_reply_shows_its_own_doctors_specialties_hospital_and_verification(
    client, two_doctors_replied, specialty
):
    html = client.get(two_doctors_replied.get_absolute_url()).content.decode()
    text = visible_text(html)
    assert (
        f"Family Medicine, {specialty.name} · Harbour General Hospital · "
        "Licence verified on 2025/03/04"
    ) in text
    assert "Cardiology · Riverside Clinic · Licence verified on 2024/11/20" in text
    assert html.count('<span class="verified-badge">') == 2
    assert '<time datetime="2025-03-04T17:00:00+08:00">2025/03/04</time>' in html


def test_reply_credentials_in_chinese(client, two_doctors_replied):
    url = url_in_language(two_doctors_replied.get_absolute_url(), "zh-hant")
    text = visible_text(client.get(url).content.decode())
    assert "心臟內科 · Riverside Clinic · 執照已於 2024/11/20 驗證" in text


def test_unverified_doctors_reply_shows_no_credentials(client, question):
    doctor = DoctorProfileFactory(status=DoctorProfile.Status.SUSPENDED, hospital="Old Clinic")
    ReplyFactory(question=question, doctor=doctor)
    html = client.get(question.get_absolute_url()).content.decode()
    assert 'class="reply"' in html
    assert "Old Clinic" not in html
    assert "verified-badge" not in html


def test_load_question_reads_each_doctors_specialties_as_the_orm_orders_them(
    two_doctors_replied,
):
    replies = load_question(two_doctors_replied.pk).page_replies
    for reply in replies:
        expected = DoctorProfile.objects.get(pk=reply.doctor.pk)
        assert [s.name for s in reply.doctor.page_specialties] == [
            s.name for s in expected.specialties.all()
        ]
        assert (reply.doctor.hospital, reply.doctor.verified_at) == (
            expected.hospital,
            expected.verified_at,
        )


def test_qa_page_query_count_is_the_same_whatever_the_doctors_specialties(
    client, specialty, django_assert_num_queries
):
    pages = []
    for count in (1, 4):
        question = QuestionFactory(specialty=specialty)
        for _ in range(count):
            doctor = DoctorProfileFactory(
                specialties=[SpecialtyFactory() for _ in range(count)] + [specialty]
            )
            ReplyFactory(question=question, doctor=doctor)
        question.similar_ids = []
        question.save()
        pages.append(question)
    for question in pages:
        cache.clear()
        # No article attached and no tags: the question's statement only.
        with django_assert_num_queries(QA_PAGE_QUERIES - 1):
            html = client.get(question.get_absolute_url()).content.decode()
        assert html.count('<span class="verified-badge">') == (1 if question == pages[0] else 4)


@pytest.fixture
def doctor_client(client, doctor):
    sign_in(client, doctor.user)
    return client


def test_dashboard_card_and_reply_form_say_whom_the_question_is_about(doctor_client, specialty):
    question = QuestionFactory(
        specialty=specialty, nickname="Ah-ming", subject="parent", age_range="80~89", sex="male"
    )
    expected = "Asked by Ah-ming about their parent, 80~89 year old male"
    dashboard = doctor_client.get(reverse("answers:dashboard")).content.decode()
    assert expected in dashboard
    form = doctor_client.get(reverse("answers:reply", kwargs={"pk": question.pk}))
    assert (
        f"{expected}. Ask Date: {timezone.localtime(question.created_at):%Y/%m/%d}"
        in form.content.decode()
    )
    chinese = doctor_client.get(
        url_in_language(reverse("answers:dashboard"), "zh-hant")
    ).content.decode()
    assert "Ah-ming 為父母發問，80~89歲男性" in chinese
