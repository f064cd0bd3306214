"""Content language: the detector, and what content records when saved or migrated."""

import time
from unittest import mock

import pytest
from django.apps import apps
from django.utils import translation

from answers.models import FAQ, Article, Reply
from answers.tests.factories import ArticleFactory, FAQFactory, ReplyFactory
from forum.language import Language, backfill_languages, detect_language, han_share
from forum.models import Specialty, localized_specialty_name
from forum.tests.factories import SpecialtyFactory
from questions.models import Question
from questions.tests.factories import QuestionFactory


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("最近三天一直頭痛，吃了止痛藥也沒有改善。", Language.ZH_HANT),
        ("我做了 MRI 和 CT scan 檢查，醫師說結果正常，但還是很擔心。", Language.ZH_HANT),
        ("最近头痛得厉害", Language.ZH_HANT),  # Simplified text is Chinese too
        ("I have had a headache for three days and painkillers do not help.", Language.EN),
        ("My grandmother calls it 頭痛 but the doctor said it is a migraine.", Language.EN),
        ("", Language.EN),
        ("120/80 mmHg, 37.5°C!!", Language.EN),
        ("１２０／８０ 😀", Language.EN),
    ],
)
def test_detect_language_by_share_of_han_characters(text, language):
    assert detect_language(text) == language


def test_han_share_counts_letters_only():
    assert han_share("頭痛 ab") == 0.5
    assert han_share("頭痛，。！123") == 1.0
    assert han_share("...") == 0.0


def test_detect_language_reads_every_text_given():
    assert detect_language("MRI", "檢查結果正常嗎？") == Language.ZH_HANT
    assert detect_language("", "") == Language.EN


def test_detect_language_reads_a_bounded_start_of_long_text():
    text = "頭" * 3000 + "a" * 2_000_000
    started = time.perf_counter()
    assert detect_language(text) == Language.ZH_HANT  # only the start is read
    assert time.perf_counter() - started < 0.5


@pytest.mark.django_db
def test_content_records_its_detected_language_when_saved(specialty):
    question = QuestionFactory(specialty=specialty, title="胸悶怎麼辦", body="爬樓梯時會胸悶。")
    reply = ReplyFactory(question=question, body="Please see a cardiologist this week.")
    article = ArticleFactory(title="認識心絞痛", body="心絞痛是心肌缺氧造成的胸痛。")
    faq = FAQFactory(question="什麼時候要掛急診？", answer="胸痛超過十五分鐘請立即就醫。")
    english = QuestionFactory(specialty=specialty)
    assert [question.language, reply.language, article.language, faq.language] == [
        "zh-hant",
        "en",
        "zh-hant",
        "zh-hant",
    ]
    assert english.language == "en"
    assert Question.objects.get(pk=question.pk).language == "zh-hant"


@pytest.mark.django_db
def test_a_chosen_language_is_kept(specialty):
    question = QuestionFactory(specialty=specialty, title="OK", body="OK", language="zh-hant")
    assert Question.objects.get(pk=question.pk).language == "zh-hant"


@pytest.mark.django_db
def test_the_migrations_backfill_fills_only_rows_without_a_language(specialty):
    chinese = QuestionFactory(specialty=specialty, title="失眠", body="每天凌晨三點醒來。")
    english = QuestionFactory(specialty=specialty)
    chosen = QuestionFactory(specialty=specialty, title="失眠", body="每天", language="en")
    reply = ReplyFactory(question=chinese, body="建議規律作息。")
    faq = FAQFactory(question="What is insomnia?", answer="Trouble sleeping.")
    Question.objects.filter(pk__in=[chinese.pk, english.pk]).update(language="")
    Reply.objects.update(language="")
    FAQ.objects.update(language="")

    backfill_languages(
        [
            ("questions.Question", ("title", "body")),
            ("answers.Reply", ("body",)),
            ("answers.FAQ", ("question", "answer")),
            ("answers.Article", ("title", "body")),
        ]
    )(apps, None)

    languages = dict(Question.objects.values_list("pk", "language"))
    assert languages == {chinese.pk: "zh-hant", english.pk: "en", chosen.pk: "en"}
    assert Reply.objects.get(pk=reply.pk).language == "zh-hant"
    assert FAQ.objects.get(pk=faq.pk).language == "en"
    assert not Article.objects.filter(language="").exists()


# Specialty names per language ---------------------------------------------------------


def test_localized_specialty_name_follows_the_language():
    assert localized_specialty_name("Neurology", "神經內科", "zh-hant") == "神經內科"
    assert localized_specialty_name("Neurology", "神經內科", "zh-Hant-TW") == "神經內科"
    assert localized_specialty_name("Neurology", "神經內科", "en") == "Neurology"
    assert localized_specialty_name("Neurology", "", "zh-hant") == "Neurology"


@pytest.mark.django_db
def test_specialty_localized_name_uses_the_active_language():
    # The site runs with USE_I18N off until the interface is translated, so the active
    # language is what django.utils.translation.get_language() would answer then.
    specialty = SpecialtyFactory(name="Neurology", slug="neurology", name_zh_hant="神經內科")
    for active, name in [("zh-hant", "神經內科"), ("en", "Neurology"), ("en-us", "Neurology")]:
        with mock.patch.object(translation, "get_language", return_value=active):
            assert specialty.localized_name == name
    assert specialty.localized_name == "Neurology"  # the default: LANGUAGE_CODE, English


@pytest.mark.django_db
def test_the_specialty_fixture_and_migration_give_every_specialty_a_taiwanese_name():
    from django.core.management import call_command

    call_command("loaddata", "fixtures/specialties.json", verbosity=0)
    names = dict(Specialty.objects.values_list("slug", "name_zh_hant"))
    assert all(names.values()), [slug for slug, name in names.items() if not name]
    assert names["neurology"] == "神經內科"
    assert names["cardiology"] == "心臟內科"
    assert names["family-medicine"] == "家庭醫學科"
    assert names["pediatrics"] == "小兒科"
    assert names["obstetrics-and-gynecology"] == "婦產科"
    assert names["dermatology"] == "皮膚科"
    assert all(detect_language(name) == Language.ZH_HANT for name in names.values())


@pytest.mark.django_db
def test_the_specialty_fixture_gives_every_specialty_a_chinese_description():
    from django.core.management import call_command

    call_command("loaddata", "fixtures/specialties.json", verbosity=0)
    rows = Specialty.objects.values_list("slug", "description", "description_zh_hant")
    assert len(rows) == 25
    assert all(english and chinese for _, english, chinese in rows), rows
    assert all(detect_language(chinese) == Language.ZH_HANT for _, _, chinese in rows)
    descriptions = {slug: chinese for slug, _, chinese in rows}
    assert descriptions["neurology"].startswith("腦、脊髓、神經與肌肉的疾病")


def test_the_migration_fills_in_the_chinese_description_of_every_standard_specialty():
    import json
    from pathlib import Path

    from forum.specialty_names import ZH_HANT_DESCRIPTIONS, ZH_HANT_NAMES

    fixture = json.loads(Path("fixtures/specialties.json").read_text())
    slugs = {row["fields"]["slug"] for row in fixture}
    assert set(ZH_HANT_DESCRIPTIONS) == slugs == set(ZH_HANT_NAMES)
    assert all(
        row["fields"]["description_zh_hant"] == ZH_HANT_DESCRIPTIONS[row["fields"]["slug"]]
        for row in fixture
    )


def test_specialty_localized_description_uses_the_active_language():
    specialty = SpecialtyFactory.build(description="The nerves.", description_zh_hant="神經。")
    with translation.override("zh-hant"):
        assert specialty.localized_description == "神經。"
    with translation.override("en"):
        assert specialty.localized_description == "The nerves."
    specialty.description_zh_hant = ""
    with translation.override("zh-hant"):
        assert specialty.localized_description == "The nerves."  # not translated yet


@pytest.mark.django_db
def test_editors_edit_the_chinese_name_in_the_specialty_admin(client, editor):
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    from forum.tests.two_factor import sign_in

    editor.user_permissions.add(*Permission.objects.filter(codename="change_specialty"))
    specialty = SpecialtyFactory(name="Neurology", slug="neurology")
    sign_in(client, editor)
    response = client.post(
        reverse("admin:forum_specialty_change", args=[specialty.pk]),
        {
            "name": "Neurology",
            "name_zh_hant": "神經內科",
            "slug": "neurology",
            "description": "",
            "position": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Specialty.objects.get(pk=specialty.pk).name_zh_hant == "神經內科"
