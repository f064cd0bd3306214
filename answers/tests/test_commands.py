import pytest
from django.core.management import call_command

from answers.models import FAQ, Article, Reply
from forum.models import DoctorProfile, Specialty, User
from questions.models import Question

pytestmark = pytest.mark.django_db


def test_load_demo_loads_fixtures_once_and_renders_markdown(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    call_command("load_demo")
    assert Specialty.objects.count() >= 20
    published = Question.objects.published().answered()
    assert published.count() >= 30
    assert published.values("specialty").distinct().count() >= 5
    assert DoctorProfile.objects.verified().count() >= 4
    assert Article.objects.published().filter(questions__isnull=False).distinct().count() >= 6
    assert FAQ.objects.published().count() >= 10
    assert Question.objects.pending().exists()
    assert Reply.objects.published().count() >= 30
    assert not Article.objects.filter(body_html="").exists()
    assert "<script" not in "".join(Article.objects.values_list("body_html", flat=True))
    for email in ["patient", "doctor", "moderator", "editor", "admin"]:
        user = User.objects.get(email=f"{email}@example.com")
        assert user.check_password("demo-pass-2026")
    users = User.objects.count()
    call_command("load_demo")
    assert User.objects.count() == users


def test_demo_questions_share_tags_for_similar_qa():
    call_command("load_demo")
    from django.db.models import Count

    from questions.models import TaggedQuestion

    shared = TaggedQuestion.objects.values("tag").annotate(n=Count("id")).filter(n__gte=3)
    assert shared.count() >= 5
