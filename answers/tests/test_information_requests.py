"""Information requests: a doctor asks the patient before answering (the reply page), the
patient answers from My questions, the exchange shows on the Q&A page once the reply is
published; claims, closing, e-mails, the audit log, the page cache and query counts."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from answers.actions import request_information, submit_reply, suspend_doctor
from answers.actions.information import answer_information_request
from answers.models import InformationRequest, QuestionClaim
from answers.tests.factories import ReplyFactory
from forum.models import ModerationEvent
from forum.tests.two_factor import sign_in
from questions.tests.changes import assert_pages_invalidated, assert_search_not_refreshed
from questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

ASK = "How long has each headache lasted, and do you take any medicine for it?"
ANSWER = "About two hours each morning. I take paracetamol sometimes."


@pytest.fixture
def doctor_client(client, doctor):
    sign_in(client, doctor.user)
    return client


def _start(client, question):
    url = reverse("answers:reply", kwargs={"pk": question.pk})
    assert client.post(url, {"start": "1"}).status_code == 302
    return url


def _send(client, question, text=ASK):
    return client.post(
        reverse("answers:information-request", kwargs={"pk": question.pk}), {"text": text}
    )


def test_the_form_shows_once_the_doctor_has_started_answering(doctor_client, question):
    url = reverse("answers:reply", kwargs={"pk": question.pk})
    assert "Send to the patient" not in doctor_client.get(url).content.decode()
    _start(doctor_client, question)
    html = doctor_client.get(url).content.decode()
    assert "Ask the patient for more information" in html
    assert "Send to the patient" in html
    assert "for at most 48 hours" in html


def test_sending_keeps_the_claim_logs_and_emails_the_patient(
    doctor_client, doctor, question, patient, django_capture_on_commit_callbacks
):
    _start(doctor_client, question)
    with assert_search_not_refreshed(), django_capture_on_commit_callbacks(execute=True):
        response = _send(doctor_client, question)
    assert response.status_code == 302
    info = InformationRequest.objects.get()
    assert (info.doctor, info.text, info.status) == (doctor, ASK, "open")
    claim = QuestionClaim.objects.get(question=question)
    assert claim.doctor == doctor
    # Held for the request's hold, not the 15 minutes of "Start answering".
    assert claim.expires_at == info.expires_at
    assert claim.expires_at > timezone.now() + timedelta(hours=47)
    event = ModerationEvent.objects.get(action=ModerationEvent.Action.REQUEST_INFORMATION)
    assert event.actor == doctor.user and event.target == info
    assert ASK not in event.target_repr
    (sent,) = mail.outbox
    assert sent.to == [patient.email]
    assert "Dr. Lin Mei-hua asks" in sent.body
    assert ASK in sent.body
    assert reverse("answers:information-answer", kwargs={"pk": info.pk}) in sent.body
    assert "List-Unsubscribe" in sent.extra_headers
    html = doctor_client.get(reverse("answers:reply", kwargs={"pk": question.pk})).content.decode()
    assert "Waiting for the patient's answer until" in html
    assert "Send to the patient" not in html  # one open request at a time


def test_a_preview_does_not_shorten_the_held_claim(doctor_client, doctor, question):
    _start(doctor_client, question)
    _send(doctor_client, question)
    held = QuestionClaim.objects.get().expires_at
    url = reverse("answers:reply", kwargs={"pk": question.pk})
    doctor_client.post(
        url, {"body": "A draft that is long enough to be previewed here.", "preview": "1"}
    )
    assert QuestionClaim.objects.get().expires_at == held


def test_patient_who_turned_the_emails_off_gets_none(doctor, question, patient):
    type(patient).objects.filter(pk=patient.pk).update(email_information_requests=False)
    question.author.refresh_from_db()
    request_information(question=question, doctor=doctor, text=ASK)
    assert mail.outbox == []


def test_too_long_or_too_short_text_keeps_what_was_typed(doctor_client, question):
    _start(doctor_client, question)
    response = _send(doctor_client, question, "x" * 501)
    assert response.status_code == 400
    assert "x" * 501 in response.content.decode()
    assert _send(doctor_client, question, "How?").status_code == 400
    assert not InformationRequest.objects.exists()


def test_another_doctor_holding_the_claim_cannot_ask(client, doctor, other_doctor, question):
    QuestionClaim.objects.create(
        question=question, doctor=other_doctor, expires_at=timezone.now() + timedelta(hours=1)
    )
    sign_in(client, doctor.user)
    response = _send(client, question)
    assert response.status_code == 302
    assert not InformationRequest.objects.exists()
    html = client.get(response.url).content.decode()
    assert "Another doctor is answering this question." in html


def test_my_questions_shows_the_request_and_the_patient_answers_it(
    client, doctor, question, patient, django_capture_on_commit_callbacks
):
    info = request_information(question=question, doctor=doctor, text=ASK)
    mail.outbox.clear()
    sign_in(client, patient)
    html = client.get(reverse("questions:mine")).content.decode()
    assert "Dr. Lin Mei-hua asks for more information" in html
    assert ASK in html
    url = reverse("answers:information-answer", kwargs={"pk": info.pk})
    assert url in html
    assert client.get(url).status_code == 200
    with (
        assert_pages_invalidated(question_ids=[question.pk]),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(url, {"answer": ANSWER})
    assert response.status_code == 302
    info.refresh_from_db()
    assert (info.status, info.answer, info.answer_is_urgent) == ("answered", ANSWER, False)
    assert ModerationEvent.objects.filter(
        action=ModerationEvent.Action.ANSWER_INFORMATION, actor=None
    ).exists()
    (sent,) = mail.outbox
    assert sent.to == [doctor.user.email]
    assert "The patient answered your request" in sent.subject
    html = client.get(reverse("questions:mine")).content.decode()
    assert "You answered Dr. Lin Mei-hua's question on" in html
    # The doctor keeps the question for another hold to reply.
    assert QuestionClaim.objects.get().expires_at > timezone.now() + timedelta(hours=47)


def test_an_answer_with_personal_data_is_refused_and_kept(client, doctor, question, patient):
    info = request_information(question=question, doctor=doctor, text=ASK)
    sign_in(client, patient)
    url = reverse("answers:information-answer", kwargs={"pk": info.pk})
    typed = "Call me at 0912-345-678 for the details."
    response = client.post(url, {"answer": typed})
    assert response.status_code == 400
    html = response.content.decode()
    assert "please remove what looks like personal details" in html
    assert "0912-345-678" in html
    info.refresh_from_db()
    assert info.status == "open"


def test_an_answer_with_red_flags_shows_help_first_then_sends(client, doctor, question, patient):
    info = request_information(question=question, doctor=doctor, text=ASK)
    sign_in(client, patient)
    url = reverse("answers:information-answer", kwargs={"pk": info.pk})
    typed = "Now I also have crushing chest pain and my left arm is numb."
    response = client.post(url, {"answer": typed})
    html = response.content.decode()
    assert "Are you safe right now?" in html
    assert "I am safe: send my answer" in html
    assert typed in html
    info.refresh_from_db()
    assert info.status == "open"
    response = client.post(url, {"answer": typed, "confirm_urgent": "1"})
    assert response.status_code == 302
    info.refresh_from_db()
    assert (info.status, info.answer_is_urgent) == ("answered", True)


def test_the_doctor_sees_the_answer_and_the_page_shows_it_with_the_published_reply(
    client, doctor, question, patient, trusted
):
    info = request_information(question=question, doctor=doctor, text=ASK)
    answer_information_request(request=info, author=patient, answer=ANSWER)
    sign_in(client, doctor.user)
    html = client.get(reverse("answers:reply", kwargs={"pk": question.pk})).content.decode()
    assert "The patient answered on" in html
    assert ANSWER in html
    client.logout()
    assert ANSWER not in client.get(question.get_absolute_url()).content.decode()
    with assert_pages_invalidated(question_ids=[question.pk], all_pages=True):
        submit_reply(
            question=question,
            doctor=doctor,
            body="Two-hour morning headaches with painkillers: keep a diary and see a neurologist.",
        )
    html = client.get(question.get_absolute_url()).content.decode()
    assert "Before replying, Dr. Lin Mei-hua asked on" in html
    assert ASK in html
    assert "Heihei answered on" in html
    assert ANSWER in html
    assert html.index(ANSWER) < html.rindex("Two-hour morning headaches")


def test_a_held_reply_keeps_the_exchange_off_the_page(client, doctor, question, patient):
    info = request_information(question=question, doctor=doctor, text=ASK)
    answer_information_request(request=info, author=patient, answer=ANSWER)
    submit_reply(
        question=question, doctor=doctor, body="A reply waiting for a moderator, long enough."
    )
    assert ANSWER not in client.get(question.get_absolute_url()).content.decode()


def test_replying_without_waiting_closes_the_open_request(doctor, question, patient, trusted):
    info = request_information(question=question, doctor=doctor, text=ASK)
    submit_reply(question=question, doctor=doctor, body="My answer without waiting for details.")
    info.refresh_from_db()
    assert (info.status, info.closed_because) == ("closed", "replied")
    assert (
        ModerationEvent.objects.filter(action=ModerationEvent.Action.CLOSE_INFORMATION).count() == 1
    )


def test_withdrawing_releases_the_question(doctor_client, doctor, question):
    _start(doctor_client, question)
    _send(doctor_client, question)
    info = InformationRequest.objects.get()
    url = reverse("answers:information-withdraw", kwargs={"pk": info.pk})
    assert doctor_client.post(url).status_code == 302
    info.refresh_from_db()
    assert (info.status, info.closed_because) == ("closed", "withdrawn")
    assert not QuestionClaim.objects.exists()
    event = ModerationEvent.objects.get(action=ModerationEvent.Action.CLOSE_INFORMATION)
    assert event.actor == doctor.user


def test_suspending_the_doctor_closes_their_request(client, doctor, question, patient, moderator):
    info = request_information(question=question, doctor=doctor, text=ASK)
    suspend_doctor(doctor=doctor, moderator=moderator, reason="Licence lapsed")
    info.refresh_from_db()
    assert (info.status, info.closed_because) == ("closed", "suspended")
    assert not QuestionClaim.objects.exists()
    sign_in(client, patient)
    assert ASK not in client.get(reverse("questions:mine")).content.decode()
    response = client.get(reverse("answers:information-answer", kwargs={"pk": info.pk}))
    assert response.status_code == 410
    assert (
        client.post(
            reverse("answers:information-answer", kwargs={"pk": info.pk}), {"answer": ANSWER}
        ).status_code
        == 410
    )


def test_withdrawing_the_question_deletes_its_requests(client, doctor, question, patient):
    info = request_information(question=question, doctor=doctor, text=ASK)
    sign_in(client, patient)
    client.post(reverse("questions:withdraw", kwargs={"pk": question.pk}))
    assert not InformationRequest.objects.exists()
    # The audit log keeps the request's entry, without its words.
    event = ModerationEvent.objects.get(action=ModerationEvent.Action.REQUEST_INFORMATION)
    assert event.target_id == info.pk and ASK not in event.target_repr


def test_a_lapsed_request_closes_and_cannot_be_answered(client, doctor, question, patient):
    info = request_information(question=question, doctor=doctor, text=ASK)
    InformationRequest.objects.filter(pk=info.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    sign_in(client, patient)
    url = reverse("answers:information-answer", kwargs={"pk": info.pk})
    assert client.post(url, {"answer": ANSWER}).status_code == 410
    call_command("send_answer_reminders", stdout=StringIO())
    info.refresh_from_db()
    assert (info.status, info.closed_because) == ("closed", "expired")
    assert (
        ModerationEvent.objects.get(action=ModerationEvent.Action.CLOSE_INFORMATION).actor is None
    )


def test_a_doctor_asks_at_most_three_times(doctor, question, patient):
    from answers.actions import ActionNotAllowed

    for _ in range(3):
        info = request_information(question=question, doctor=doctor, text=ASK)
        answer_information_request(request=info, author=patient, answer=ANSWER)
    with pytest.raises(ActionNotAllowed):
        request_information(question=question, doctor=doctor, text=ASK)


def test_qa_page_query_count_is_flat_in_the_number_of_exchanges(
    client, specialty, patient, django_assert_num_queries
):
    from django.core.cache import cache

    pages = []
    for exchanges in (0, 3):
        question = QuestionFactory(author=patient, specialty=specialty)
        reply = ReplyFactory(question=question)
        for _ in range(exchanges):
            InformationRequest.objects.create(
                question=question,
                doctor=reply.doctor,
                text=ASK,
                answer=ANSWER,
                status="answered",
                answered_at=timezone.now(),
                expires_at=timezone.now(),
            )
        pages.append(question)
    for question in pages:
        cache.clear()
        # The question with everything shown with it; no tags: no Similar Q&A to read.
        with django_assert_num_queries(1):
            html = client.get(question.get_absolute_url()).content.decode()
    assert html.count(ANSWER) == 3


def test_my_questions_query_count_is_flat_in_the_number_of_requests(
    client, doctor, specialty, patient, django_assert_num_queries
):
    sign_in(client, patient)
    # As questions/tests/test_mine.py counts them (follow-ups with who answered them too).
    QuestionFactory(author=patient, specialty=specialty)
    with django_assert_num_queries(8):
        client.get(reverse("questions:mine"))
    for _ in range(3):
        question = QuestionFactory(author=patient, specialty=specialty)
        request_information(question=question, doctor=doctor, text=ASK)
    with django_assert_num_queries(8):
        html = client.get(reverse("questions:mine")).content.decode()
    assert html.count("Answer the doctor") == 3
