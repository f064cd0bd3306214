"""The doctor, moderation, admin and error pages in Traditional Chinese.

Each page is rendered with zh-Hant active (translation.override, as LocaleMiddleware
will do for a visitor who picks Chinese) and the test asserts the Chinese a doctor or
moderator reads: the wording of the catalogue, specialty names from their Chinese
field, the patient line in Chinese word order, and the moderation log's rows as
sentences. The English pages are the other tests' (they still read as before).
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from answers.actions import ActionNotAllowed, change_doctor_status, claim_question
from answers.models import Reply
from answers.screening import Finding
from answers.templatetags.answers_tags import duration, mark_findings, patient
from answers.tests.factories import ReplyFactory
from forum.actions import log_moderation_event
from forum.i18n import url_in_language
from forum.models import DoctorProfile, ModerationEvent
from forum.retention import scrub_audit_log
from forum.tests.factories import DoctorProfileFactory, UserFactory
from forum.tests.two_factor import sign_in
from questions.models import Question
from questions.tests.factories import PendingQuestionFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db

CHINESE_TITLE = "早上起床頭痛是什麼原因？"
CHINESE_BODY = "這兩週每天早上醒來都頭痛，到中午才慢慢好。請問可能是什麼原因？"


@pytest.fixture
def neurology(specialty):
    specialty.name_zh_hant = "神經內科"
    specialty.save()
    return specialty


@pytest.fixture
def doctor_client(client, doctor, neurology):
    sign_in(client, doctor.user)
    return client


@pytest.fixture
def mod_client(client, moderator):
    sign_in(client, moderator)
    return client


def in_chinese(client, url: str) -> str:
    """`url` in Traditional Chinese, as a visitor who chose it reaches it: the page's
    /zh-hant/ address, and the language cookie for the pages outside the language
    prefixes (admin), which follow the visitor's choice (forum/urls.py)."""
    if url.startswith("/admin/"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    return url_in_language(url, "zh-hant") or url


def chinese(client, url, **kwargs):
    """The page at `url` as a visitor using the site in Traditional Chinese sees it."""
    with translation.override("zh-hant"):
        response = client.get(in_chinese(client, url), **kwargs)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Doctors ---------------------------------------------------------------------------


def test_dashboard_in_chinese_names_the_queue_specialty_and_patient(doctor_client, neurology):
    QuestionFactory(specialty=neurology, nickname="Heihei", title=CHINESE_TITLE)

    html = chinese(doctor_client, reverse("answers:dashboard"))

    assert "<title>醫師專區 - " in html
    assert "<h1>等待醫師回覆的問題</h1>" in html
    assert "Lin Mei-hua 醫師 &middot; " in html
    assert ">我的回覆與統計</a>" in html
    assert "神經內科 &middot; Heihei，30~39歲女性 &middot; 發布於 <time" in html
    assert "前）" in html  # "(3 minutes ago)" as 「（3 分鐘前）」
    assert "共 1 則。" in html
    assert '<option value="" selected>我的所有科別</option>' in html
    assert ">以電子郵件寄送我的科別新問題摘要</label>" in html
    assert "Questions waiting for a doctor" not in html


def test_reply_form_in_chinese_shows_the_question_card_and_the_reply_form(
    doctor_client, doctor, other_doctor, neurology, trusted, settings
):
    question = QuestionFactory(
        specialty=neurology, nickname="Heihei", title=CHINESE_TITLE, body=CHINESE_BODY
    )
    question.created_at = timezone.make_aware(timezone.datetime(2023, 9, 24, 10, 0))
    question.save(update_fields=["created_at"])
    ReplyFactory(question=question, doctor=other_doctor, body="多喝水，注意睡眠。" * 6)
    url = reverse("answers:reply", args=[question.pk])

    before = chinese(doctor_client, url)
    assert "<h1>回覆問題</h1>" in before
    assert '<p class="patient-line">Heihei，30~39歲女性。發問日期：2023/09/24</p>' in before
    assert ">開始回答</button>" in before
    assert f"這個問題會在 {settings.CLAIM_MINUTES} 分鐘內標示為由您回覆" in before
    assert '<h2 id="others-title">其他醫師的回覆</h2>' in before
    assert 'aria-label="Kao Other 醫師的回覆" lang="zh-Hant"' in before
    assert f'<h2 id="question-{question.pk}-title" lang="zh-Hant">{CHINESE_TITLE}</h2>' in before

    with translation.override("zh-hant"):
        doctor_client.post(url, {"start": "1"})
    form = chinese(doctor_client, url)
    assert ">您的回覆：</label>" in form  # Django's own label suffix, full-width
    assert ">預覽</button>" in form
    assert ">送出回覆</button>" in form


def test_doctor_application_in_chinese(client, patient, neurology):
    sign_in(client, patient)
    url = reverse("answers:apply")

    html = chinese(client, url)
    assert "<title>醫師申請 - " in html and "<h1>醫師申請</h1>" in html
    assert ">醫師執業執照號碼：</label>" in html
    assert ">服務醫院或診所：</label>" in html
    assert "<legend>科別</legend>" in html
    assert ">神經內科</label>" in html
    assert ">送出申請</button>" in html

    with translation.override("zh-hant"):
        response = client.post(
            in_chinese(client, url),
            {
                "display_name": "何凱林",
                "license_number": "md-12345",
                "hospital": "港灣綜合醫院",
                "specialties": [neurology.pk],
                "bio": "神經內科醫師，專長頭痛。",
            },
            follow=True,
        )
    html = response.content.decode()
    assert "謝謝您。審核人員將會審核您的申請。" in html
    assert "何凱林 醫師：自 " in html and "<strong>等待審核</strong>" in html
    assert ">更新我的申請</button>" in html


def test_history_in_chinese_says_status_and_time_in_chinese(doctor_client, doctor, neurology):
    question = QuestionFactory(specialty=neurology, title=CHINESE_TITLE)
    ReplyFactory(
        question=question,
        doctor=doctor,
        status="published",
        published_at=timezone.now(),
    )

    html = chinese(doctor_client, reverse("answers:history"))

    assert "<h1>我的回覆</h1>" in html
    assert '<th scope="col">回覆日期</th>' in html
    assert ">已發布" in html
    assert '<span class="visually-hidden">對「' + CHINESE_TITLE + "」的回覆</span>" in html


def test_durations_read_in_chinese_and_english():
    span = timedelta(days=3, hours=4, minutes=5)
    assert duration(span) == "3 days 4 hours"
    assert duration(timedelta(minutes=1)) == "1 minute"
    with translation.override("zh-hant"):
        assert duration(span) == "3 天 4 小時"
        assert duration(timedelta(hours=2, minutes=5)) == "2 小時 5 分鐘"


@pytest.mark.parametrize(
    "sex,english,chinese_line",
    [
        ("female", "Heihei, 30~39 year old female", "Heihei，30~39歲女性"),
        ("male", "Heihei, 30~39 year old male", "Heihei，30~39歲男性"),
        ("undisclosed", "Heihei, 30~39 year old person", "Heihei，30~39歲"),
    ],
)
def test_patient_line_in_each_language(sex, english, chinese_line):
    question = Question(nickname="Heihei", age_range="30~39", sex=sex)
    assert patient(question) == english
    with translation.override("zh-hant"):
        assert patient(question) == chinese_line


# --- Moderation ------------------------------------------------------------------------


def test_moderation_queue_in_chinese_offers_approve_and_reject(mod_client, neurology):
    PendingQuestionFactory(specialty=neurology, nickname="Heihei", title=CHINESE_TITLE)

    html = chinese(mod_client, reverse("answers:moderation"))

    assert "<h1>審核</h1>" in html
    assert "<h2>待審核的問題</h2>" in html
    assert '>問題 <span class="count">(1)</span>' in html
    assert "神經內科 &middot; Heihei，30~39歲女性 &middot; 發問於 <time" in html
    assert ">核准</button>" in html
    assert ">退回</button>" in html
    assert "退回原因（會寄給病患）" in html
    assert '編修後核准<span class="visually-hidden">：' + CHINESE_TITLE in html


def test_moderation_replies_in_chinese_offer_hiding(mod_client, doctor, neurology):
    question = QuestionFactory(specialty=neurology, title=CHINESE_TITLE)
    ReplyFactory(question=question, doctor=doctor, status="published", published_at=timezone.now())

    html = chinese(mod_client, reverse("answers:moderation-replies"), data={"status": "published"})

    assert '<nav class="subtabs" aria-label="回覆清單">' in html
    assert ">待審核</a>" in html and ">已退回</a>" in html
    assert "Lin Mei-hua 醫師對「<a href=" in html and f">{CHINESE_TITLE}</a>」的回覆</h3>" in html
    assert ">隱藏</button>" in html
    assert "隱藏原因（醫師會看到）" in html


def test_moderation_doctors_in_chinese_offer_verification(mod_client, applied_doctor, neurology):
    html = chinese(mod_client, reverse("answers:moderation-doctors"))

    assert 'aria-current="page">申請中</a>' in html
    assert f'<h3 id="doctor-{applied_doctor.pk}-title">Wang Applicant 醫師</h3>' in html
    assert "<dt>執業執照號碼</dt>" in html
    assert ">認證</button>" in html
    assert "退回原因（會寄給申請者）" in html


def test_a_decision_tells_the_moderator_in_chinese(mod_client):
    question = PendingQuestionFactory(title=CHINESE_TITLE)
    with translation.override("zh-hant"):
        response = mod_client.post(
            reverse("answers:question-approve", args=[question.pk]), follow=True
        )
    assert "問題已核准並發布。" in response.content.decode()


def test_a_refused_doctor_decision_names_the_status_in_chinese(moderator):
    profile = DoctorProfileFactory(status=DoctorProfile.Status.REJECTED)
    with translation.override("zh-hant"), pytest.raises(ActionNotAllowed) as refused:
        change_doctor_status(doctor=profile, transition="verify", moderator=moderator)
    assert str(refused.value) == "只有申請中的醫師可以認證；這位目前的狀態是「未通過」。"


def test_moderation_log_rows_read_as_chinese_sentences(mod_client, moderator, doctor):
    question = QuestionFactory(title=CHINESE_TITLE)
    reply = ReplyFactory(question=question, doctor=doctor)
    log_moderation_event(actor=moderator, action="approve_question", target=question)
    log_moderation_event(actor=moderator, action="hide_reply", target=reply, reason="不安全")
    log_moderation_event(actor=moderator, action="verify_doctor", target=doctor)
    tag = TagFactory(name="頭痛", slug="頭痛")
    log_moderation_event(actor=moderator, action="merge_tags", target=tag)
    closed = UserFactory(email="gone@example.org")
    log_moderation_event(actor=closed, action="reject_question", target=question)
    closed.delete()
    log_moderation_event(actor=None, action="edit_question", target=question)

    html = chinese(mod_client, reverse("answers:moderation-log"))

    # The log's links stay in the reader's language.
    with translation.override("zh-hant"):
        question_url = reverse("questions:detail-short", kwargs={"pk": question.pk})
        doctor_url = doctor.get_absolute_url()
    assert question_url.startswith("/zh-hant/")
    assert (
        f'moderator@example.org 核准了<a href="{question_url}">問題「{CHINESE_TITLE}」</a>。'
        in html
    )
    assert (
        f'moderator@example.org 隱藏了<a href="{question_url}#reply-{reply.pk}">'
        f"Lin Mei-hua 醫師對「{CHINESE_TITLE}」的回覆</a>。" in html
    )
    assert (
        f'moderator@example.org 完成了<a href="{doctor_url}">'
        "Lin Mei-hua 醫師</a>的身分認證。" in html
    )
    assert "moderator@example.org 將標籤合併至標籤「頭痛」。" in html
    assert f'gone@example.org（帳號已關閉） 退回了<a href="{question_url}">' in html
    assert f'不明帳號 編修了<a href="{question_url}">' in html
    assert "<td>不安全</td>" in html
    assert '<th scope="col">紀錄內容</th>' in html
    assert ">核准問題</option>" in html  # the action filter's choices


def test_moderation_log_names_a_purged_question_in_the_readers_language(mod_client, moderator):
    question = QuestionFactory(title="A question retention removes")
    log_moderation_event(actor=moderator, action="reject_question", target=question)
    pk = question.pk
    with translation.override("zh-hant"):
        scrub_audit_log(Question, [pk])  # stored in English whatever the language
    question.delete()
    event = ModerationEvent.objects.get(
        target_type=ContentType.objects.get_for_model(Question), target_id=pk
    )
    assert event.target_repr == f"question {pk} (deleted)"

    assert f"moderator@example.org 退回了問題 {pk}（已刪除）。" in chinese(
        mod_client, reverse("answers:moderation-log")
    )
    english = mod_client.get(reverse("answers:moderation-log")).content.decode()
    assert f"moderator@example.org rejected question {pk} (deleted)." in english


def test_screening_marks_chinese_terms_inside_a_sentence():
    findings = [Finding(label="警訊", details=["胸痛"])]
    html = mark_findings("我今天早上胸痛得很厲害，還會喘。", findings)
    assert html == "<p>我今天早上<mark>胸痛</mark>得很厲害，還會喘。</p>"
    # English terms still match whole words only.
    english = mark_findings("The pain then eased.", [Finding(label="x", details=["the"])])
    assert english == "<p><mark>The</mark> pain then eased.</p>"


# --- Admin and error pages ---------------------------------------------------------------


def test_admin_in_chinese_uses_djangos_catalogue_and_our_model_names(client, moderator):
    moderator.is_staff = True
    moderator.is_superuser = True
    moderator.save()
    sign_in(client, moderator)

    html = chinese(client, reverse("admin:index"))

    assert "網站管理" in html  # Django admin's own translation
    assert ">衛教文章</a>" in html and ">常見問題</a>" in html
    assert ">醫師資料</a>" in html and ">審核紀錄</a>" in html


def test_tag_merge_page_in_chinese(client, moderator):
    moderator.is_staff = True
    moderator.is_superuser = True
    moderator.save()
    sign_in(client, moderator)
    tags = [TagFactory(name="頭痛", slug="頭痛"), TagFactory(name="headache", slug="headache")]
    with translation.override("zh-hant"):
        response = client.post(
            in_chinese(client, reverse("admin:questions_tag_changelist")),
            {"action": "merge_selected_tags", "_selected_action": [t.pk for t in tags]},
        )
    html = response.content.decode()
    assert "<caption>所選標籤</caption>" in html
    assert 'value="合併標籤"' in html
    assert ">不，返回</a>" in html
    assert "要保留的標籤" in html


def test_not_found_page_in_chinese(client):
    with translation.override("zh-hant"):
        response = client.get("/zh-hant/no-such-page-anywhere/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>找不到頁面</h1>" in html
    assert ">回到首頁</a>" in html


@pytest.mark.parametrize(
    "template,title,heading",
    [
        ("500.html", "伺服器錯誤", "發生錯誤"),
        ("503.html", "暫時無法使用", "我們馬上回來"),
    ],
)
def test_bare_error_pages_in_chinese_carry_their_language(template, title, heading):
    with translation.override("zh-hant"):
        html = render_to_string(template)
    assert '<html lang="zh-hant">' in html
    assert f"<title>{title}</title>" in html and f"<h1>{heading}</h1>" in html
    english = render_to_string(template)
    assert '<html lang="en">' in english


def test_too_many_attempts_page_in_chinese_counts_minutes():
    request = RequestFactory().get("/")
    with translation.override("zh-hant"):
        html = render_to_string("429.html", {"retry_minutes": 15}, request=request)
    assert "<h1>嘗試次數過多</h1>" in html
    assert "最長 15 分鐘。" in html
    assert ">重設密碼</a>" in html


def test_allauth_pages_in_chinese_use_allauths_catalogue_inside_our_layout(client):
    html = chinese(client, reverse("account_login"))
    # allauth's own zh-Hant wording, in the site's base and allauth elements.
    assert re.search(r"<title>\s*登入\s*- ", html)
    assert re.search(r"<h1>\s*登入\s*</h1>", html)
    assert '<form class="account-form" method="post"' in html
    assert '<main id="main" class="container" tabindex="-1">' in html


# --- Query counts in Chinese: the same as in English -----------------------------------


def test_dashboard_query_count_in_chinese(
    doctor_client, doctor, other_doctor, neurology, django_assert_num_queries
):
    def add_rows():
        for _ in range(3):
            question = QuestionFactory(specialty=neurology, tags=["睡眠", "頭痛"])
            claim_question(question=question, doctor=other_doctor)
            ReplyFactory(question=question, status=Reply.Status.HELD, published_at=None)

    add_rows()
    # session, user, doctor profile, its specialties, count, page, follow-ups waiting,
    # held check, header roles
    # (the Chinese specialty names come with the rows: no query of their own)
    with translation.override("zh-hant"), django_assert_num_queries(9):
        doctor_client.get(reverse("answers:dashboard"))
    add_rows()
    with translation.override("zh-hant"), django_assert_num_queries(9):
        doctor_client.get(reverse("answers:dashboard"))


def test_moderation_queue_query_count_in_chinese(mod_client, neurology, django_assert_num_queries):
    PendingQuestionFactory.create_batch(2, specialty=neurology, tags=["頭痛"])
    # session, user, roles, count, page, tags, 4 tab counts, header doctor check
    with translation.override("zh-hant"), django_assert_num_queries(11):
        mod_client.get(reverse("answers:moderation"))
    PendingQuestionFactory.create_batch(3, specialty=neurology, tags=["頭暈"])
    with translation.override("zh-hant"), django_assert_num_queries(11):
        mod_client.get(reverse("answers:moderation"))


def test_moderation_log_query_count_in_chinese(
    mod_client, moderator, question, applied_doctor, django_assert_num_queries
):
    def add_rows():
        log_moderation_event(actor=moderator, action="approve_question", target=question)
        log_moderation_event(actor=UserFactory(), action="verify_doctor", target=applied_doctor)
        log_moderation_event(actor=None, action="hide_reply", target=ReplyFactory())

    add_rows()
    # session, user, roles, count, page, 4 tab counts, header doctor check, actor choices,
    # and one query per kind of target on the page (questions, doctors, replies)
    with translation.override("zh-hant"), django_assert_num_queries(14):
        mod_client.get(reverse("answers:moderation-log"))
    add_rows()
    with translation.override("zh-hant"), django_assert_num_queries(14):
        mod_client.get(reverse("answers:moderation-log"))


# --- The other moderation and error pages ----------------------------------------------


def test_question_edit_page_in_chinese(mod_client, neurology):
    question = PendingQuestionFactory(specialty=neurology, nickname="Heihei", title=CHINESE_TITLE)

    html = chinese(mod_client, reverse("answers:question-edit", args=[question.pk]))

    assert "<h1>編修並核准問題</h1>" in html
    assert "請刪除個人資料（姓名、電話、地址、身分證字號）" in html
    assert ">問題內容：</label>" in html and ">刪改了什麼：</label>" in html
    assert "供審核紀錄使用，例如「刪除了電話號碼」，請勿填寫資料本身。" in html
    assert ">儲存並核准</button>" in html and ">取消</a>" in html


def test_missing_reason_page_in_chinese(mod_client, doctor):
    reply = ReplyFactory(doctor=doctor, question=QuestionFactory(title=CHINESE_TITLE))
    with translation.override("zh-hant"):
        response = mod_client.post(reverse("answers:reply-hide", args=[reply.pk]), {"reason": ""})
    html = response.content.decode()
    assert "<h1>需要填寫原因</h1>" in html
    assert f"Lin Mei-hua 醫師對「{CHINESE_TITLE}」的回覆" in html
    assert ">確認</button>" in html
    assert "這個欄位是必須的。" in html  # Django's own message, in Chinese


def test_not_allowed_page_in_chinese(client, patient):
    sign_in(client, patient)
    with translation.override("zh-hant"):
        response = client.get(reverse("answers:moderation"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>沒有權限</h1>" in html and "您的帳號無法開啟這個頁面。" in html


@pytest.mark.parametrize(
    "template,heading,sentence",
    [
        ("400.html", "請求有誤", "我們無法理解這個請求。"),
        ("403_csrf.html", "這份表單已過期", "為了您的安全，表單只能從本站送出"),
    ],
)
def test_other_error_pages_in_chinese(template, heading, sentence):
    request = RequestFactory().get("/")
    with translation.override("zh-hant"):
        html = render_to_string(template, request=request)
    assert f"<h1>{heading}</h1>" in html and sentence in html


def test_reject_questions_page_in_chinese(client, moderator, neurology):
    moderator.is_staff = True
    moderator.is_superuser = True
    moderator.save()
    sign_in(client, moderator)
    question = PendingQuestionFactory(specialty=neurology, title=CHINESE_TITLE)
    with translation.override("zh-hant"):
        response = client.post(
            in_chinese(client, reverse("admin:questions_question_changelist")),
            {"action": "reject_questions", "_selected_action": [question.pk]},
        )
    html = response.content.decode()
    assert "以下問題將被退回。" in html
    assert f"<li>{CHINESE_TITLE}（神經內科，" in html
    assert 'value="退回問題"' in html and ">不，返回</a>" in html
    assert ">首頁</a>" in html


def test_lists_on_the_moderation_queue_use_chinese_separators(mod_client, neurology):
    question = PendingQuestionFactory(
        specialty=neurology,
        title=CHINESE_TITLE,
        tags=["頭痛", "睡眠"],
        screening={"personal_data": [{"kind": "phone"}, {"kind": "email"}]},
    )

    html = chinese(mod_client, reverse("answers:moderation"))

    tags = [tag.name for tag in question.tags.all()]
    assert "標籤： " + "、".join(tags) + "</p>" in html
    assert "<li>個人資料：" in html
