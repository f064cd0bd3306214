import datetime

import pytest
from django.urls import reverse

from answers.models import Reply
from answers.tests.factories import ReplyFactory
from forum.models import DoctorProfile
from forum.tests.factories import DoctorProfileFactory, SpecialtyFactory
from questions.models import Question
from questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def doctor_url(doctor) -> str:
    return reverse("forum:doctor", kwargs={"slug": doctor.slug})


def test_doctor_page_shows_profile_answers_and_thanks(client, doctor, specialty):
    doctor.specialties.add(SpecialtyFactory(name="Family Medicine", slug="family-medicine"))
    older = ReplyFactory(doctor=doctor, thanks_count=2, question__title="Thumb twitches at rest")
    newer = ReplyFactory(doctor=doctor, thanks_count=3, question__title="Dizzy when standing")
    ReplyFactory(doctor=doctor, status=Reply.Status.HELD, thanks_count=50)
    ReplyFactory(doctor=doctor, status=Reply.Status.HIDDEN, question__title="Hidden reply")
    removed = ReplyFactory(doctor=doctor, thanks_count=7, question__title="Removed question")
    Question.objects.filter(pk=removed.question_id).update(status=Question.Status.REMOVED)
    Reply.objects.filter(pk=older.pk).update(published_at=newer.published_at.replace(year=2020))

    html = client.get(doctor_url(doctor)).content.decode()
    text = " ".join(html.split())
    assert "<h1>Dr. Lin Mei-hua</h1>" in html
    assert "Family Medicine" in text and "Neurology" in text
    assert "<dt>Hospital</dt><dd>Harbour General Hospital</dd>" in text
    assert "<dt>Answers</dt><dd>2</dd>" in text
    assert "<dt>Thanks received</dt><dd>5</dd>" in text
    assert text.index("Dizzy when standing") < text.index("Thumb twitches at rest")
    assert f'{newer.question.get_absolute_url()}#reply-{newer.pk}"' in html
    assert "Hidden reply" not in text and "Removed question" not in text


def test_doctor_page_query_count_does_not_grow_with_answers(
    client, doctor, django_assert_num_queries
):
    ReplyFactory(doctor=doctor)
    with django_assert_num_queries(4):
        client.get(doctor_url(doctor))
    for _ in range(12):
        ReplyFactory(doctor=doctor, question=QuestionFactory(specialty=SpecialtyFactory()))
    with django_assert_num_queries(4):
        response = client.get(doctor_url(doctor))
    assert response.content.decode().count('class="question-row"') == 10


@pytest.mark.parametrize(
    "status",
    [DoctorProfile.Status.APPLIED, DoctorProfile.Status.REJECTED, DoctorProfile.Status.SUSPENDED],
)
def test_doctor_page_is_404_unless_verified(client, status):
    doctor = DoctorProfileFactory(status=status)
    assert client.get(doctor_url(doctor)).status_code == 404


@pytest.mark.parametrize(
    ("name", "initials"),
    [("Lin Mei-hua", "LM"), ("chen", "C"), ("林美華", "林"), ("", "")],
)
def test_doctor_initials_come_from_the_name(name, initials):
    assert DoctorProfile(display_name=name).initials == initials


def test_doctor_page_shows_initials_avatar_and_verified_date(client, doctor):
    DoctorProfile.objects.filter(pk=doctor.pk).update(
        verified_at=datetime.datetime(2025, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
    )
    text = " ".join(client.get(doctor_url(doctor)).content.decode().split())
    assert '<span class="avatar" aria-hidden="true">LM</span>' in text
    assert "Verified doctor since" in text and ">2025/03/04</time>" in text


def test_doctor_page_shows_years_in_practice(client, doctor, monkeypatch):
    monkeypatch.setattr("forum.models.current_year", lambda: 2026)
    DoctorProfile.objects.filter(pk=doctor.pk).update(practising_since=2008)
    text = " ".join(client.get(doctor_url(doctor)).content.decode().split())
    assert "<dt>Experience</dt><dd>18 years in practice" in text
    assert "(since 2008)" in text


def test_doctor_page_leaves_out_experience_when_not_given(client, doctor):
    text = client.get(doctor_url(doctor)).content.decode()
    assert "in practice" not in text and "<dt>Experience</dt>" not in text


@pytest.mark.parametrize(("year", "expected"), [(2026, 0), (2025, 1), (1990, 36)])
def test_years_in_practice_counts_calendar_years(monkeypatch, year, expected):
    monkeypatch.setattr("forum.models.current_year", lambda: 2026)
    assert DoctorProfile(practising_since=year).years_in_practice == expected
