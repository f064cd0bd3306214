import pytest
from django.urls import reverse

from forum.tests.factories import DoctorProfileFactory
from forum.tests.two_factor import sign_in

pytestmark = pytest.mark.django_db

REFUSED_TO_EDITORS = [
    "forum_user",
    "auth_group",
    "forum_doctorprofile",
    "forum_moderationevent",
    "answers_reply",
    "forum_specialty",
]


@pytest.fixture
def editor_client(client, editor):
    sign_in(client, editor)
    return client


def test_editor_admin_index_lists_exactly_the_editorial_screens(editor_client):
    response = editor_client.get(reverse("admin:index"))
    models = {
        model["object_name"] for app in response.context["app_list"] for model in app["models"]
    }
    assert models == {"Article", "FAQ", "Question", "Tag"}


@pytest.mark.parametrize("model", REFUSED_TO_EDITORS)
def test_editor_is_refused_the_screens_they_must_not_see(editor_client, model):
    assert editor_client.get(reverse(f"admin:{model}_changelist")).status_code == 403
    assert editor_client.get(reverse(f"admin:{model}_add")).status_code == 403


def test_editor_is_refused_a_doctor_profile_and_a_user(editor_client, editor):
    doctor = DoctorProfileFactory()
    for url in (
        reverse("admin:forum_doctorprofile_change", args=[doctor.pk]),
        reverse("admin:forum_user_change", args=[editor.pk]),
    ):
        assert editor_client.get(url).status_code == 403


def test_editor_cannot_change_users_through_the_autocomplete(editor_client):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "forum", "model_name": "doctorprofile", "field_name": "user", "term": "a"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "url_name",
    ["admin:index", "admin:answers_article_changelist", "admin:questions_question_changelist"],
)
def test_non_staff_are_refused_the_admin_entirely(client, patient, moderator, url_name):
    for user in (patient, moderator):  # the moderator fixture is not staff
        sign_in(client, user)
        response = client.get(reverse(url_name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
