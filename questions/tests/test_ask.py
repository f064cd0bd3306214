from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from forum.tests.factories import SpecialtyFactory, UserFactory
from questions.models import Question
from questions.screening import ScreeningResult
from questions.tests.ask_data import ask_data
from questions.tests.factories import PendingQuestionFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db

ASK = reverse("questions:ask")


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


def test_ask_page_sends_anonymous_visitors_to_log_in(client):
    response = client.get(ASK)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_ask_page_asks_unverified_users_to_confirm_their_email(client, django_assert_num_queries):
    user = UserFactory(email="new@example.org", verified_email=False)
    client.force_login(user)
    # session, user, verified e-mail
    with django_assert_num_queries(5):
        response = client.get(ASK)
    assert response.status_code == 403
    assert b"Confirm your e-mail address first" in response.content
    assert reverse("questions:resend-verification").encode() in response.content
    assert b"new@example.org" not in response.content
    assert client.post(ASK, ask_data(SpecialtyFactory())).status_code == 403
    assert not Question.objects.exists()


def test_resend_verification_sends_one_link_after_commit_and_throttles(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="new@example.org", verified_email=False)
    client.force_login(user)
    url = reverse("questions:resend-verification")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url, follow=True)
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.org"]
    assert b"We sent a new confirmation link" in response.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert len(mail.outbox) == 1
    assert b"wait a few minutes" in response.content


def test_resend_verification_is_post_only(patient_client):
    assert patient_client.get(reverse("questions:resend-verification")).status_code == 405


def test_ask_page_shows_the_form_with_labels_and_consent(
    patient_client, specialty, django_assert_num_queries
):
    TagFactory(name="headache")
    QuestionFactory(tags=["headache"])
    # session, user, verified e-mail, last nickname, popular tags, daily limit, specialties,
    # consent to the current privacy notice and terms
    with django_assert_num_queries(10):
        response = patient_client.get(ASK)
    assert response.status_code == 200
    html = response.content.decode()
    for field in ("nickname", "age_range", "specialty", "title", "body", "tags", "consent"):
        assert f'for="id_{field}"' in html
    assert "<legend>Who is the question about?</legend>" in html
    assert 'data-tag="headache"' in html
    assert 'id="similar-titles" aria-live="polite"' in html
    assert "js/ask.js" in html


def test_ask_page_query_count_does_not_grow_with_specialties_or_tags(
    patient_client, specialty, django_assert_num_queries
):
    for n in range(15):
        SpecialtyFactory()
        QuestionFactory(tags=[f"topic {n}"])
    with django_assert_num_queries(10):
        patient_client.get(ASK)


def test_ask_page_suggests_the_last_nickname(patient_client, patient):
    PendingQuestionFactory(author=patient, nickname="Owl")
    response = patient_client.get(ASK)
    assert response.context["form"]["nickname"].value() == "Owl"


def test_asking_creates_a_pending_tagged_question_and_confirms(patient_client, patient, specialty):
    TagFactory(name="headaches")
    response = patient_client.post(ASK, ask_data(specialty, tags="Headache, SLEEP, sleep"))
    question = Question.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("questions:asked", kwargs={"pk": question.pk})
    assert question.author == patient
    assert question.status == Question.Status.PENDING
    assert question.published_at is None
    assert (question.nickname, question.subject, question.age_range, question.sex) == (
        "Sleepyhead",
        "self",
        "30~39",
        "female",
    )
    assert sorted(t.name for t in question.tags.all()) == ["headaches", "sleep"]
    assert not question.is_urgent
    assert question.screening == {"red_flags": [], "personal_data": []}


def test_asking_sends_no_email_until_a_moderator_decides(
    patient_client, specialty, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        patient_client.post(ASK, ask_data(specialty))
    assert mail.outbox == []


def test_invalid_question_keeps_everything_typed(patient_client, specialty):
    data = ask_data(specialty, title="Short", tags="fever, cough")
    response = patient_client.post(ASK, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The title is too short" in html
    assert 'value="Short"' in html
    assert data["body"] in html
    assert 'value="fever, cough"' in html
    assert 'value="Sleepyhead"' in html
    assert 'value="30~39" selected' in html
    assert "Everything you typed is still in the form." in html
    assert not Question.objects.exists()


def test_personal_data_blocks_submission_with_a_quote(patient_client, specialty):
    body = "My number is 0912-345-678, I have had a headache every morning for two weeks."
    response = patient_client.post(ASK, ask_data(specialty, body=body))
    assert response.status_code == 200
    html = response.content.decode()
    assert "please remove what looks like personal details" in html
    assert "“0912-345-678” (phone number)" in html
    assert body in html
    assert not Question.objects.exists()


def test_personal_data_missed_by_the_form_is_still_refused_without_a_500(
    patient_client, specialty, monkeypatch
):
    monkeypatch.setattr("questions.forms.screen", lambda text: ScreeningResult())
    body = "Please call me on 0912-345-678 about my headache every single morning."
    response = patient_client.post(ASK, ask_data(specialty, body=body))
    assert response.status_code == 200
    assert "“0912-345-678” (phone number)" in response.content.decode()
    assert not Question.objects.exists()


def test_red_flags_show_an_emergency_notice_and_mark_the_question_urgent(
    patient_client, specialty, settings
):
    settings.EMERGENCY_NUMBER = "119"
    body = "Since an hour ago I have chest pain going to my left arm and I feel sick."
    # Sent from the "Are you safe right now?" step (test_ask_safety.py).
    data = ask_data(specialty, body=body, confirm_urgent="1")
    response = patient_client.post(ASK, data, follow=True)
    question = Question.objects.get()
    assert question.is_urgent
    assert question.screening["red_flags"] == [{"kind": "chest_pain", "text": "chest pain"}]
    html = response.content.decode()
    assert "If this is an emergency, do not wait for an answer here" in html
    assert 'href="tel:119"' in html
    assert "Chest pain:" in html
    assert "Your question is saved and marked urgent for moderators and doctors." in html


def test_red_flags_show_the_notice_even_when_the_form_has_errors(
    patient_client, specialty, settings
):
    settings.CRISIS_LINE_NUMBER = "1925"
    response = patient_client.post(ASK, ask_data(specialty, title="help", body="I want to die"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert 'href="tel:1925"' in html
    assert not Question.objects.exists()


def test_daily_limit_gives_a_clear_error_and_loses_nothing(
    patient_client, patient, specialty, settings
):
    settings.QUESTIONS_PER_DAY = 2
    PendingQuestionFactory.create_batch(2, author=patient)
    data = ask_data(specialty)
    response = patient_client.post(ASK, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "You have asked 2 questions in the last 24 hours, which is the daily limit." in html
    assert data["body"] in html
    assert Question.objects.count() == 2


def test_daily_limit_counts_only_the_last_24_hours(patient_client, patient, specialty, settings):
    settings.QUESTIONS_PER_DAY = 1
    old = PendingQuestionFactory(author=patient)
    Question.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    PendingQuestionFactory()  # someone else's
    response = patient_client.post(ASK, ask_data(specialty))
    assert response.status_code == 302
    assert Question.objects.by_author(patient).count() == 2


def test_ask_page_warns_before_typing_when_the_limit_is_reached(patient_client, patient, settings):
    settings.QUESTIONS_PER_DAY = 1
    PendingQuestionFactory(author=patient)
    response = patient_client.get(ASK)
    assert b"which is the daily limit" in response.content


def test_confirmation_page_explains_next_steps_and_median_answer_time(
    patient_client, patient, specialty, django_assert_num_queries
):
    now = timezone.now()
    for hours in (2, 6, 30):
        QuestionFactory(
            specialty=specialty,
            published_at=now - timedelta(days=3),
            answered_at=now - timedelta(days=3) + timedelta(hours=hours),
        )
    question = PendingQuestionFactory(author=patient, specialty=specialty)
    url = reverse("questions:asked", kwargs={"pk": question.pk})
    # session, user, question, median (count + middle rows)
    with django_assert_num_queries(7):
        response = patient_client.get(url)
    html = response.content.decode()
    assert "waiting for a moderator" in html
    assert "median time of <strong>about 6 hours</strong>" in html
    assert reverse("questions:edit", kwargs={"pk": question.pk}) in html
    assert reverse("questions:mine") in html


def test_confirmation_page_says_when_there_is_no_recent_answer(patient_client, patient, specialty):
    question = PendingQuestionFactory(author=patient, specialty=specialty)
    response = patient_client.get(reverse("questions:asked", kwargs={"pk": question.pk}))
    assert b"do not have enough recent answers in Neurology" in response.content


def test_confirmation_page_is_only_for_the_author(client, question):
    client.force_login(UserFactory())
    response = client.get(reverse("questions:asked", kwargs={"pk": question.pk}))
    assert response.status_code == 404


def test_similar_titles_lists_published_answered_matches(client, specialty):
    now = timezone.now()
    best = QuestionFactory(title="Morning headache and nausea", answered_at=now)
    QuestionFactory(title="Headache after coffee", answered_at=now - timedelta(days=1))
    QuestionFactory(title="Headache in the morning, unanswered")  # not answered
    PendingQuestionFactory(title="Morning headache pending", answered_at=now)
    QuestionFactory(title="Knee pain when running", answered_at=now)
    response = client.get(reverse("questions:similar-titles"), {"q": "morning headaches"})
    results = response.json()["results"]
    assert [r["title"] for r in results] == ["Morning headache and nausea", "Headache after coffee"]
    assert results[0]["url"] == best.get_absolute_url()
    assert results[0]["specialty"] == best.specialty.name


def test_similar_titles_returns_at_most_five(client, django_assert_num_queries):
    for n in range(8):
        QuestionFactory(title=f"Rash on arm number {n}", answered_at=timezone.now())
    # the cut-off of the scan window, then the matches
    with django_assert_num_queries(2):
        response = client.get(reverse("questions:similar-titles"), {"q": "rash"})
    assert len(response.json()["results"]) == 5
    with django_assert_num_queries(0):
        client.get(reverse("questions:similar-titles"), {"q": "Rash?"})


def test_similar_titles_looks_only_at_the_newest_answered_questions(client, monkeypatch):
    monkeypatch.setattr("questions.views.suggestions.SIMILAR_SCAN_WINDOW", 2)
    now = timezone.now()
    QuestionFactory(title="Old rash question", answered_at=now - timedelta(days=30))
    for n in range(3):
        QuestionFactory(title=f"New question {n}", answered_at=now - timedelta(days=n))
    response = client.get(reverse("questions:similar-titles"), {"q": "rash"})
    assert response.json() == {"results": []}


@pytest.mark.parametrize("query", ["", "a", "the and for", "%", "_" * 300])
def test_similar_titles_handles_empty_or_odd_input(client, query):
    response = client.get(reverse("questions:similar-titles"), {"q": query})
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_similar_titles_finds_chinese_titles_by_their_words(client, specialty):
    now = timezone.now()
    best = QuestionFactory(title="頭痛又發燒怎麼辦", answered_at=now)
    QuestionFactory(title="發燒三天不退", answered_at=now - timedelta(days=1))
    QuestionFactory(title="頭痛發燒還沒有人回答")  # not answered
    QuestionFactory(title="膝蓋痛", answered_at=now)
    response = client.get(reverse("questions:similar-titles"), {"q": "請問頭痛發燒要看哪一科"})
    results = response.json()["results"]
    assert [r["title"] for r in results] == ["頭痛又發燒怎麼辦", "發燒三天不退"]
    assert results[0]["url"] == best.get_absolute_url()


def test_similar_titles_folds_simplified_and_full_width_queries(client, specialty):
    now = timezone.now()
    QuestionFactory(title="胃食道逆流要做胃鏡嗎", answered_at=now)
    QuestionFactory(title="ＭＲＩ報告看不懂", answered_at=now)
    titles = lambda q: [  # noqa: E731
        r["title"]
        for r in client.get(reverse("questions:similar-titles"), {"q": q}).json()["results"]
    ]
    assert titles("胃食道逆流") == ["胃食道逆流要做胃鏡嗎"]
    assert titles("逆流") == ["胃食道逆流要做胃鏡嗎"]  # a part a person would type
    assert titles("MRI 報告") == ["ＭＲＩ報告看不懂"]


def test_similar_titles_typed_in_simplified_find_traditional_titles_and_back(client, specialty):
    now = timezone.now()
    QuestionFactory(title="偏頭痛發作時可以吃止痛藥嗎", answered_at=now)
    QuestionFactory(title="胃食道逆流要做胃镜吗", answered_at=now)  # asked in Simplified
    titles = lambda q: [  # noqa: E731
        r["title"]
        for r in client.get(reverse("questions:similar-titles"), {"q": q}).json()["results"]
    ]
    assert titles("偏头痛吃止痛药") == ["偏頭痛發作時可以吃止痛藥嗎"]
    assert titles("胃食道逆流 胃鏡") == ["胃食道逆流要做胃镜吗"]


def test_similar_titles_answers_a_long_chinese_title_in_two_queries(
    client, django_assert_num_queries
):
    QuestionFactory(title="頭痛", answered_at=timezone.now())
    with django_assert_num_queries(2):
        response = client.get(reverse("questions:similar-titles"), {"q": "頭痛" + "很" * 5000})
    assert response.status_code == 200
