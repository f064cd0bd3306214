import json

import pytest
from django.urls import reverse
from django.utils import timezone

from answers.models import Reply, Thank
from answers.tests.factories import ReplyFactory
from forum.models import User
from forum.tests.factories import PASSWORD, DoctorProfileFactory, UserFactory
from questions.models import Question
from questions.tests.ask_data import ask_data
from questions.tests.factories import PendingQuestionFactory, QuestionFactory

pytestmark = pytest.mark.django_db

MINE = reverse("questions:mine")


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


def edit_url(question):
    return reverse("questions:edit", kwargs={"pk": question.pk})


# --- My questions ---------------------------------------------------------------------


def test_my_questions_needs_an_account(client):
    assert client.get(MINE).status_code == 302


def test_my_questions_shows_each_state_with_links(patient_client, patient, specialty):
    pending = PendingQuestionFactory(
        author=patient, title="Pending about sleep", specialty=specialty
    )
    QuestionFactory(author=patient, title="Published about knees")
    QuestionFactory(author=patient, title="Answered about skin", answered_at=timezone.now())
    QuestionFactory(
        author=patient,
        title="Rejected about diet",
        status=Question.Status.REJECTED,
        rejection_reason="It contained a full name.",
    )
    QuestionFactory(author=patient, title="Removed one", status=Question.Status.REMOVED)
    QuestionFactory(title="Someone else's question")
    html = patient_client.get(MINE).content.decode()
    assert "Waiting for review" in html
    assert edit_url(pending) in html
    assert "waiting for a doctor" in html
    assert ">Answered</span>" in html
    assert "Not published" in html
    assert "Reason: It contained a full name." in html
    assert "Removed by a moderator" in html
    assert pending.get_absolute_url() in html
    assert "Someone else" not in html
    assert html.count('class="my-question"') == 5
    assert reverse("questions:export") in html
    assert reverse("questions:delete-account") in html


def test_my_questions_query_count_is_fixed(patient_client, patient, django_assert_num_queries):
    QuestionFactory(author=patient)
    # session, user, count, page of questions with their specialty, doctors' requests,
    # follow-ups
    with django_assert_num_queries(8):
        patient_client.get(MINE)


def test_my_questions_query_count_does_not_grow_with_rows(
    patient_client, patient, django_assert_num_queries
):
    for _ in range(12):
        QuestionFactory(author=patient, tags=["headache"])
        PendingQuestionFactory(author=patient)
    with django_assert_num_queries(8):
        response = patient_client.get(MINE)
    assert response.content.decode().count('class="my-question"') == 20


def test_header_links_to_ask_and_my_questions(patient_client):
    html = patient_client.get(reverse("forum:home")).content.decode()
    assert f'href="{reverse("questions:ask")}"' in html
    assert f'href="{MINE}"' in html


def test_header_hides_my_questions_from_visitors(client):
    html = client.get(reverse("forum:home")).content.decode()
    assert f'href="{reverse("questions:ask")}"' in html
    assert f'href="{MINE}"' not in html


# --- Editing while pending ---------------------------------------------------------------


def test_author_edits_a_pending_question(patient_client, patient, specialty):
    question = PendingQuestionFactory(author=patient, specialty=specialty)
    question.tags.add("old tag")
    response = patient_client.get(edit_url(question))
    assert response.status_code == 200
    assert question.title in response.content.decode()
    data = ask_data(
        specialty, title="A clearer title for my headache", tags="migraine", consent=None
    )
    response = patient_client.post(edit_url(question), data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.title == "A clearer title for my headache"
    assert question.slug == "a-clearer-title-for-my-headache"
    assert question.status == Question.Status.PENDING
    assert [t.name for t in question.tags.all()] == ["migraine"]


def test_edit_page_query_count(patient_client, patient, django_assert_num_queries):
    question = PendingQuestionFactory(author=patient, tags=["a1", "b1"])
    # session, user, question + specialty, tags, popular tags, specialties
    with django_assert_num_queries(8):
        patient_client.get(edit_url(question))


def test_editing_rescreens_the_text(patient_client, patient, specialty):
    question = PendingQuestionFactory(author=patient, specialty=specialty)
    body = "Since last night I have difficulty breathing and my lips are turning blue."
    patient_client.post(edit_url(question), ask_data(specialty, body=body, confirm_urgent="1"))
    question.refresh_from_db()
    assert question.is_urgent
    response = patient_client.post(
        edit_url(question), ask_data(specialty, body="Call 0912-345-678 about my breathing please.")
    )
    assert "0912-345-678" in response.content.decode()
    question.refresh_from_db()
    assert "0912" not in question.body


def test_red_flags_in_an_edit_stop_the_first_save_on_the_safety_step(
    patient_client, patient, specialty, settings
):
    settings.EMERGENCY_NUMBER = "119"
    settings.CRISIS_LINE_NUMBER = "1925"
    question = PendingQuestionFactory(author=patient, specialty=specialty)
    old_body = question.body
    body = "Since the test results came back I keep thinking I would be better off dead."
    data = ask_data(specialty, title="Results and how I feel", body=body, consent=None)
    response = patient_client.post(edit_url(question), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Are you safe right now?" in html
    numbers = [html.index('href="tel:1925"'), html.index('href="tel:119"')]
    assert max(numbers) < html.index('id="ask-form"')
    assert "Suicidal thoughts." in html
    # What was typed is kept, and the button says it saves anyway.
    assert body in html
    assert 'value="Results and how I feel"' in html
    assert '<input type="hidden" name="confirm_urgent" value="1">' in html
    assert "I am safe: save my changes" in html
    question.refresh_from_db()
    assert question.body == old_body
    assert not question.is_urgent

    response = patient_client.post(edit_url(question), {**data, "confirm_urgent": "1"})
    assert response.status_code == 302
    assert response.url == MINE
    question.refresh_from_db()
    assert question.body == body
    assert question.is_urgent
    assert question.urgent_reasons == ["Suicidal thoughts"]


def test_an_edit_without_red_flags_is_saved_at_once(patient_client, patient, specialty):
    question = PendingQuestionFactory(author=patient, specialty=specialty)
    body = "The headache is worse in the morning and better after coffee, for two weeks now."
    response = patient_client.post(edit_url(question), ask_data(specialty, body=body))
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.body == body
    assert not question.is_urgent


def test_personal_data_in_an_edit_is_refused_with_the_text_kept(patient_client, patient, specialty):
    question = PendingQuestionFactory(author=patient, specialty=specialty)
    old_body = question.body
    body = "我胸口悶痛兩天了，方便的話加我的LINE：chen_mei88 再跟我說。"
    response = patient_client.post(
        edit_url(question), ask_data(specialty, body=body, confirm_urgent="1")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "please remove what looks like personal" in html
    assert "(messaging or social media account)" in html
    assert body in html
    question.refresh_from_db()
    assert question.body == old_body


def test_the_edit_page_points_its_script_at_the_screening_endpoint(patient_client, patient):
    question = PendingQuestionFactory(author=patient)
    html = patient_client.get(edit_url(question)).content.decode()
    assert f'data-screen-url="{reverse("questions:screen-text")}"' in html
    assert 'id="live-emergency"' in html
    assert "Are you safe right now?" not in html


def test_edit_is_404_for_someone_else(client, question):
    question.status = Question.Status.PENDING
    question.save()
    client.force_login(UserFactory())
    assert client.get(edit_url(question)).status_code == 404
    assert client.post(edit_url(question), {}).status_code == 404


def test_edit_is_403_once_reviewed(patient_client, question, specialty, django_assert_num_queries):
    # session, user, question + specialty, tags (prefetched)
    with django_assert_num_queries(6):
        response = patient_client.get(edit_url(question))
    assert response.status_code == 403
    assert b"can no longer be edited" in response.content
    old_title = question.title
    assert patient_client.post(edit_url(question), ask_data(specialty)).status_code == 403
    question.refresh_from_db()
    assert question.title == old_title


def test_edit_needs_an_account(client, question, specialty):
    question.status = Question.Status.PENDING
    question.save()
    response = client.get(edit_url(question))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    body = "I took thirty sleeping pills."
    response = client.post(edit_url(question), ask_data(specialty, body=body, confirm_urgent="1"))
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.body != body


# --- Export ---------------------------------------------------------------------------


def test_export_downloads_own_questions_and_published_replies(patient_client, patient, specialty):
    question = QuestionFactory(
        author=patient, specialty=specialty, title="Why do I wake up tired?", tags=["sleep"]
    )
    doctor = DoctorProfileFactory(display_name="Lin Mei-hua")
    ReplyFactory(question=question, doctor=doctor, body="Try a regular bedtime.")
    ReplyFactory(question=question, status=Reply.Status.HELD, body="Not yet approved.")
    PendingQuestionFactory(author=patient, title="A pending one")
    QuestionFactory(title="Not mine")
    response = patient_client.get(reverse("questions:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="my-questions-')
    data = json.loads(response.content)
    assert data["account"]["email"] == patient.email
    assert [q["title"] for q in data["questions"]] == ["Why do I wake up tired?", "A pending one"]
    first = data["questions"][0]
    assert first["tags"] == ["sleep"]
    assert first["specialty"] == "Neurology"
    assert first["status"] == "published"
    assert first["url"].endswith(question.get_absolute_url())
    assert first["replies"] == [
        {
            "doctor": "Dr. Lin Mei-hua",
            "text": "Try a regular bedtime.",
            "published_at": first["replies"][0]["published_at"],
            "thanks": 0,
        }
    ]
    assert data["questions"][1]["replies"] == []


def test_export_query_count_does_not_grow_with_rows(
    patient_client, patient, django_assert_num_queries
):
    for _ in range(5):
        ReplyFactory(question=QuestionFactory(author=patient, tags=["sleep"]))
    # session, user, questions, tags, replies, doctors
    with django_assert_num_queries(6):
        patient_client.get(reverse("questions:export"))


def test_export_needs_an_account(client):
    assert client.get(reverse("questions:export")).status_code == 302


# --- Deleting the account ------------------------------------------------------------------


def delete(client, choice, password=PASSWORD):
    return client.post(
        reverse("questions:delete-account"),
        {"published_questions": choice, "password": password},
    )


def test_delete_account_page_explains_the_choice(
    patient_client, patient, django_assert_num_queries
):
    QuestionFactory(author=patient)
    PendingQuestionFactory(author=patient)
    # session, user, doctor profile check, question counts
    with django_assert_num_queries(6):
        response = patient_client.get(reverse("questions:delete-account"))
    html = response.content.decode()
    assert "You have 2 questions, 1 of them published." in html
    assert "Keep them online, with no link to me" in html
    assert 'autocomplete="current-password"' in html


def test_delete_account_keeping_published_questions_online(patient_client, patient):
    published = QuestionFactory(author=patient, nickname="Owl")
    reply = ReplyFactory(question=published)
    Thank.objects.create(reply=reply, user=patient)
    pending = PendingQuestionFactory(author=patient)
    other = QuestionFactory()
    response = delete(patient_client, "keep")
    assert response.status_code == 302
    assert response.url == reverse("forum:home")
    assert not User.objects.filter(pk=patient.pk).exists()
    published.refresh_from_db()
    assert published.author is None
    assert published.nickname == "Owl"
    assert Reply.objects.filter(pk=reply.pk).exists()
    assert not Question.objects.filter(pk=pending.pk).exists()
    assert Question.objects.filter(pk=other.pk, author__isnull=False).exists()
    assert "_auth_user_id" not in patient_client.session
    page = patient_client.get(published.get_absolute_url())
    assert page.status_code == 200


def test_delete_account_removing_questions(patient_client, patient):
    published = QuestionFactory(author=patient)
    ReplyFactory(question=published)
    PendingQuestionFactory(author=patient)
    other = QuestionFactory()
    delete(patient_client, "remove")
    assert not User.objects.filter(pk=patient.pk).exists()
    assert list(Question.objects.all()) == [other]
    assert not Reply.objects.filter(question_id=published.pk).exists()
    assert patient_client.get(published.get_absolute_url()).status_code == 404


def test_delete_account_needs_the_password_and_a_choice(patient_client, patient):
    response = delete(patient_client, "keep", password="wrong")
    assert b"That is not your current password." in response.content
    response = delete(patient_client, "")
    assert b"Please choose what happens to your published questions." in response.content
    assert User.objects.filter(pk=patient.pk).exists()


def test_doctors_cannot_delete_their_account_here(client, doctor):
    client.force_login(doctor.user)
    response = client.get(reverse("questions:delete-account"))
    assert response.status_code == 403
    response = delete(client, "remove")
    assert response.status_code == 403
    assert User.objects.filter(pk=doctor.user.pk).exists()


@pytest.mark.parametrize("role", ["moderator", "editor", "staff"])
def test_moderators_editors_and_staff_cannot_delete_their_account_here(
    client, role, request, login_with_two_factor
):
    user = request.getfixturevalue(role) if role != "staff" else UserFactory(is_staff=True)
    login_with_two_factor(client, user)
    response = client.get(reverse("questions:delete-account"))
    assert response.status_code == 403
    response = delete(client, "remove")
    assert response.status_code == 403
    assert User.objects.filter(pk=user.pk).exists()


def test_audit_log_names_an_actor_whose_account_is_gone(client, moderator, login_with_two_factor):
    from forum.actions import log_moderation_event
    from forum.models import ModerationEvent

    question = PendingQuestionFactory()
    gone = UserFactory(email="former.moderator@example.org")
    log_moderation_event(
        actor=gone, action=ModerationEvent.Action.REJECT_QUESTION, target=question, reason="x"
    )
    gone.delete()  # closed by the team
    event = ModerationEvent.objects.get()
    assert event.actor is None
    assert event.actor_label == "former.moderator@example.org"
    login_with_two_factor(client, moderator)
    page = client.get(reverse("answers:moderation-log")).content.decode()
    assert "former.moderator@example.org (account closed)" in page


# --- Follow-ups (issue 19) ---------------------------------------------------------------


def _follow_ups_of_every_state(question):
    """A follow-up in each state under a published reply to the patient's question."""
    from answers.tests.factories import FollowUpFactory
    from questions.models import FollowUp

    reply = ReplyFactory(question=question, doctor__display_name="Lin Mei-hua")
    colleague = ReplyFactory(question=question, doctor__display_name="Chen Colleague")
    answered = FollowUpFactory(reply=reply, body="Answered follow-up: may I exercise?")
    ReplyFactory(question=question, doctor=reply.doctor, follow_up=answered)
    twice = FollowUpFactory(reply=reply, body="Twice answered: and coffee?")
    ReplyFactory(question=question, doctor=reply.doctor, follow_up=twice)
    ReplyFactory(question=question, doctor=colleague.doctor, follow_up=twice)
    waiting = FollowUpFactory(reply=reply, body="Published follow-up: and at night?")
    # A held answer is not an answer yet.
    ReplyFactory(question=question, follow_up=waiting, status="held", published_at=None)
    pending = FollowUpFactory(
        reply=reply, body="Pending follow-up", status=FollowUp.Status.PENDING, published_at=None
    )
    rejected = FollowUpFactory(
        reply=reply,
        body="Rejected follow-up",
        status=FollowUp.Status.REJECTED,
        published_at=None,
        rejection_reason="It names your doctor's clinic",
    )
    silent = FollowUpFactory(
        reply=reply, body="Rejected without a reason", status=FollowUp.Status.REJECTED
    )
    return answered, twice, waiting, pending, rejected, silent


def _row_of(html, text):
    start = html.index(text)
    return html[start : html.index("</li>", start)]


def test_my_questions_list_each_follow_up_with_its_state_and_a_link(patient_client, patient):
    question = QuestionFactory(author=patient, title="Headache in the evening")
    answered, twice, waiting, pending, rejected, silent = _follow_ups_of_every_state(question)
    html = patient_client.get(MINE).content.decode()
    assert "Your follow-ups" in html
    assert f'href="{answered.get_absolute_url()}"' in html
    assert "Answered by Dr. Lin Mei-hua" in _row_of(html, "Answered follow-up")
    assert "Answered by Dr. Lin Mei-hua and 1 other doctor" in _row_of(html, "Twice answered")
    assert "Published, waiting for a doctor" in _row_of(html, "Published follow-up")
    assert "Waiting for a moderator" in _row_of(html, "Pending follow-up")
    row = _row_of(html, "Rejected follow-up")
    assert "Not published" in row
    assert "Reason: It names your doctor" in row
    row = _row_of(html, "Rejected without a reason")
    assert "Not published" in row and "Reason:" not in row
    for follow_up in (twice, waiting, pending, rejected):
        assert f'href="{follow_up.get_absolute_url()}"' in html


def test_my_questions_follow_ups_in_chinese(patient_client, patient):
    question = QuestionFactory(author=patient)
    _follow_ups_of_every_state(question)
    from answers.tests.test_pages_in_chinese import chinese

    html = chinese(patient_client, MINE)
    assert "您的追問" in html
    assert "等待版主審核" in html
    assert "由Lin Mei-hua 醫師回答" in html


def test_my_questions_query_count_is_flat_in_questions_and_follow_ups(
    patient_client, patient, django_assert_num_queries
):
    _follow_ups_of_every_state(QuestionFactory(author=patient))
    # session, user, count, page of questions with their specialty, doctors' requests,
    # follow-ups with who answered them
    with django_assert_num_queries(8):
        patient_client.get(MINE)
    for _ in range(4):
        _follow_ups_of_every_state(QuestionFactory(author=patient))
        PendingQuestionFactory(author=patient)
    with django_assert_num_queries(8):
        html = patient_client.get(MINE).content.decode()
    assert html.count('class="my-follow-up"') == 30
