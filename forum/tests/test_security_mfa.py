"""Two-factor authentication: required for moderators, editors and staff before
the moderation queue and the admin; offered to everyone else."""

import re
import time
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from forum.mfa import DEMO_TWO_FACTOR, ForumMFAAdapter, activate_demo_two_factor
from forum.security import two_factor_paths
from forum.tests.factories import PASSWORD, DoctorProfileFactory, UserFactory
from forum.tests.two_factor import (
    SECRET,
    give_totp,
    log_in_with_password,
    log_in_with_totp,
    login_with_two_factor,
    totp,
)
from questions.models import Question
from questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def moderation_path() -> str:
    try:
        return reverse("answers:moderation")
    except NoReverseMatch:
        return "/moderation/"


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.org", is_staff=True)


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.org", is_staff=True, is_superuser=True)


@pytest.fixture(params=["moderator", "editor", "staff"])
def privileged(request):
    return request.getfixturevalue(request.param)


def test_two_factor_guards_the_moderation_queue_and_the_admin():
    assert moderation_path() in two_factor_paths()
    assert reverse("admin:index") in two_factor_paths()


def test_privileged_user_without_authenticator_is_sent_to_set_one_up(client, privileged):
    client.force_login(privileged)
    for path in [moderation_path(), reverse("admin:index")]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"), follow=True)
    assert "must turn on two-factor authentication" in page.content.decode()


def test_privileged_user_whose_session_skipped_two_factor_must_confirm_a_code(client, privileged):
    # A session from before the authenticator was added (e.g. on another device).
    client.force_login(privileged)
    give_totp(privileged)
    for path in [reverse("admin:index"), reverse("forum:home")]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_reauthenticate") + "?" + urlencode(
            {"next": path}
        )
    response = client.post(
        reverse("mfa_reauthenticate") + "?next=%2Fadmin%2F", {"code": totp(SECRET)}
    )
    assert response["Location"] == "/admin/"
    assert not client.get(moderation_path()).get("Location", "").startswith("/accounts/")


def test_privileged_session_without_two_factor_reaches_only_the_two_factor_pages(
    client, privileged, question
):
    client.force_login(privileged)
    pending = QuestionFactory(status=Question.Status.PENDING, title="A pending question")
    for path in [
        reverse("forum:home"),
        pending.get_absolute_url(),
        question.get_absolute_url(),
        reverse("questions:mine"),
        reverse("account_email"),
    ]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("mfa_activate_totp"), path
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session


# Finding 1 of the outside review, step by step: (a) a password posted to the admin's
# log-in makes no session; (b) recovery codes need a code, not the password; (c) no
# way of logging in with the password alone gives an account with an authenticator a
# session.


@pytest.mark.parametrize("role", ["superuser", "editor"])
def test_step_a_admin_login_with_the_password_makes_no_session(client, role, request):
    user = request.getfixturevalue(role)
    give_totp(user)
    response = client.post(
        reverse("admin:login"), {"username": user.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 303
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 302
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))


def test_step_b_recovery_codes_need_a_code_even_after_the_password(client, editor):
    client.force_login(editor)  # a session from before the authenticator existed
    codes = give_totp(editor)
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    # The password re-authentication is not offered, and entering it opens nothing.
    page = client.get(response["Location"])
    assert reverse("account_reauthenticate") not in page.content.decode()
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    for name in ["mfa_view_recovery_codes", "mfa_download_recovery_codes"]:
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert codes[0] not in response.content.decode()
    response = client.post(reverse("mfa_generate_recovery_codes"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert (
        RecoveryCodes(
            Authenticator.objects.get(user=editor, type=Authenticator.Type.RECOVERY_CODES)
        ).get_unused_codes()
        == codes
    )


def test_step_b_recovery_codes_show_after_a_fresh_code(client, editor):
    codes = give_totp(editor)
    log_in_with_totp(client, editor)
    # Minutes later: the log-in's code is no longer fresh enough.
    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] -= 3600
    session.save()
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    # A recovery code: the log-in's own TOTP code cannot be used twice.
    client.post(response["Location"], {"code": codes[1]})
    page = client.get(reverse("mfa_view_recovery_codes"))
    assert page.status_code == 200
    assert codes[0] in page.content.decode()


def test_patient_with_an_authenticator_also_needs_a_code_for_recovery_codes(client, patient):
    client.force_login(patient)
    give_totp(patient)
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    # Everything else stays open to a patient.
    assert client.get(reverse("forum:home")).status_code == 200


@pytest.mark.parametrize("role", ["superuser", "editor", "moderator", "patient"])
def test_step_c_no_log_in_without_the_code_for_an_account_with_an_authenticator(
    client, role, request
):
    user = request.getfixturevalue(role)
    give_totp(user)
    # Django's own login(), as any password form other than allauth's would call it.
    with pytest.raises(PermissionDenied):
        client.force_login(user)
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(moderation_path()).status_code == 302


@pytest.mark.parametrize("role", ["superuser", "editor"])
def test_step_c_password_and_code_still_log_in(client, role, request):
    user = request.getfixturevalue(role)
    codes = give_totp(user)
    log_in_with_password(client, user.email)
    client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert client.get(reverse("admin:index")).status_code == 200


def test_editor_logs_in_with_totp_code_and_reaches_the_admin(client, editor):
    give_totp(editor)
    log_in_with_totp(client, editor)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Site administration" in response.content.decode()


def test_moderator_logs_in_with_totp_code_and_reaches_the_moderation_queue(client, moderator):
    give_totp(moderator)
    log_in_with_totp(client, moderator)
    response = client.get(moderation_path())
    # Not sent to two-factor; the queue itself answers (404 until it is built).
    assert response.status_code in {200, 404}
    try:
        reverse("answers:moderation")
    except NoReverseMatch:
        return
    assert response.status_code == 200


def test_log_in_with_wrong_totp_code_is_refused(client, editor):
    give_totp(editor)
    log_in_with_password(client, editor.email)
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert client.get(reverse("admin:index"))["Location"].startswith("/admin/login/")


def test_password_alone_does_not_log_in_an_account_with_two_factor(client, editor):
    give_totp(editor)
    response = log_in_with_password(client, editor.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_recovery_code_logs_in_once(client, moderator):
    codes = give_totp(moderator)
    log_in_with_password(client, moderator.email)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(moderator.pk)
    assert not client.get(moderation_path()).get("Location", "").startswith("/accounts/")

    client.post(reverse("account_logout"))
    log_in_with_password(client, moderator.email)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    response = client.post(reverse("mfa_authenticate"), {"code": codes[1]})
    assert response.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_activating_totp_counts_as_two_factor_for_the_session(client, role_groups):
    # A transactional test: allauth announces the new authenticator after commit.
    from forum.tests.factories import ModeratorFactory

    moderator = ModeratorFactory()
    client.force_login(moderator)
    # allauth asks for the password again before changing two-factor settings.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp(secret)})
    assert response.status_code == 302
    stored = Authenticator.objects.get(user=moderator, type=Authenticator.Type.TOTP)
    assert secret not in str(stored.data)
    assert client.get(reverse("admin:index"))["Location"].startswith("/admin/login/")
    assert not client.get(moderation_path()).get("Location", "").startswith("/accounts/")


def test_totp_setup_page_allows_only_its_qr_code_data_image(client, patient):
    client.force_login(patient)
    session = client.session
    session.save()
    client.get(reverse("mfa_activate_totp"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in response.content.decode()
    assert "img-src 'self' data:" in response["Content-Security-Policy"]
    home = client.get(reverse("forum:home"))
    assert "img-src 'self';" in home["Content-Security-Policy"] + ";"


def test_two_factor_is_offered_not_required_to_patients_and_doctors(client, patient, doctor):
    for user in [patient, doctor.user]:
        client.force_login(user)
        assert client.get(reverse("forum:home")).status_code == 200
        assert client.get(reverse("mfa_index")).status_code == 200
        # The admin stays closed to them, two-factor or not.
        assert client.get(reverse("admin:index"))["Location"].startswith("/admin/login/")


def test_privileged_user_cannot_switch_two_factor_off(moderator, patient):
    give_totp(moderator)
    give_totp(patient)
    adapter = ForumMFAAdapter()
    assert not adapter.can_delete_authenticator(
        Authenticator.objects.get(user=moderator, type="totp")
    )
    assert adapter.can_delete_authenticator(Authenticator.objects.get(user=patient, type="totp"))


def test_authenticator_secrets_are_encrypted_at_rest(patient):
    adapter = ForumMFAAdapter()
    stored = adapter.encrypt(SECRET)
    assert SECRET not in stored
    assert adapter.decrypt(stored) == SECRET


def test_secrets_stay_readable_after_secret_key_rotation(settings):
    stored = ForumMFAAdapter().encrypt(SECRET)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-brand-new-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    assert ForumMFAAdapter().decrypt(stored) == SECRET


def test_demo_accounts_get_the_authenticators_the_readme_documents(client):
    for email in DEMO_TWO_FACTOR:
        UserFactory(email=email, is_staff=True)
    assert activate_demo_two_factor() == sorted(DEMO_TWO_FACTOR)
    assert activate_demo_two_factor() == []

    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    section = readme.split("## Two-factor authentication", 1)[1].split("\n## ", 1)[0]
    for email, demo in DEMO_TWO_FACTOR.items():
        row = next(line for line in section.splitlines() if f"`{email}`" in line)
        assert f"`{demo['totp_secret']}`" in row
        codes = re.findall(r"`(\d{8})`", row)
        assert codes, row

    from forum.models import User

    editor = User.objects.get(email="editor@example.com")
    log_in_with_totp(client, editor, secret=DEMO_TWO_FACTOR["editor@example.com"]["totp_secret"])
    assert client.get(reverse("admin:index")).status_code == 200

    client.post(reverse("account_logout"))
    moderator = User.objects.get(email="moderator@example.com")
    row = next(line for line in section.splitlines() if "`moderator@example.com`" in line)
    log_in_with_password(client, moderator.email)
    response = client.post(reverse("mfa_authenticate"), {"code": re.findall(r"`(\d{8})`", row)[0]})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(moderator.pk)


def test_login_with_two_factor_helper_opens_the_admin(client, editor):
    login_with_two_factor(client, editor)
    assert client.get(reverse("admin:index")).status_code == 200


def test_doctor_factory_user_is_not_privileged(doctor):
    from forum.roles import needs_two_factor

    assert not needs_two_factor(doctor.user)
    assert not needs_two_factor(DoctorProfileFactory().user)


def test_demo_accounts_log_in_with_the_readme_secrets_after_load_demo(client, settings):
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    call_command("load_demo")
    demo_password = "demo-pass-2026"
    for email, demo in DEMO_TWO_FACTOR.items():
        client.post(reverse("account_logout"))
        response = log_in_with_password(client, email, demo_password)
        assert response["Location"] == reverse("mfa_authenticate"), email
        response = client.post(reverse("mfa_authenticate"), {"code": totp(demo["totp_secret"])})
        assert response.status_code == 302, email
        admin_page = client.get(reverse("admin:index"))
        if email == "moderator@example.com":
            assert admin_page["Location"].startswith("/admin/login/")  # not staff
            assert not client.get(moderation_path()).get("Location", "").startswith("/accounts/")
        else:
            assert admin_page.status_code == 200, email
    client.post(reverse("account_logout"))
    response = log_in_with_password(client, "patient@example.com", demo_password)
    # Two-factor is offered, not required: the demo patient logs in with a password.
    assert response.status_code == 302
    assert response["Location"] == reverse("forum:home")
    assert client.session["_auth_user_id"]


def test_a_used_totp_code_cannot_be_replayed_while_it_is_still_valid(patient, monkeypatch):
    from allauth.mfa.totp.internal.auth import TOTP

    give_totp(patient)
    authenticator = TOTP(Authenticator.objects.get(user=patient, type=Authenticator.Type.TOTP))
    start = (int(time.time()) // 30) * 30 + 1
    monkeypatch.setattr(time, "time", lambda: start)
    code = totp(SECRET)
    assert authenticator.validate_code(code)
    assert not authenticator.validate_code(code)
    # Past allauth's memory of the used code (one period), still refused.
    for later in [31, 45, 59]:
        monkeypatch.setattr(time, "time", lambda later=later: start + later)
        assert not authenticator.validate_code(code), later
