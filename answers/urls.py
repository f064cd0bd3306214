from django.urls import path

from answers.views import decisions, doctors, follow_ups, information, moderation, public, reports

app_name = "answers"


def decision(route: str, name: str):
    """A moderation decision URL: the row `name` of answers.views.decisions.DECISIONS."""
    return path(route, decisions.decide, {"decision": name}, name=name)


urlpatterns = [
    path("faq/", public.faq_list, name="faqs"),
    path("replies/<int:pk>/thank/", public.thank, name="thank"),
    path("replies/<int:pk>/agree/", reports.agree, name="agree"),
    path("replies/<int:pk>/follow-ups/new/", follow_ups.follow_up_new, name="follow-up-new"),
    # The question's author answers a doctor's information request ("My questions").
    path(
        "information-requests/<int:pk>/answer/",
        information.information_answer,
        name="information-answer",
    ),
    # kind: a forum.Report.Kind ("question", "reply"); anything else is a 404.
    path("report/<slug:kind>/<int:pk>/", reports.report, name="report"),
]
# Doctors and moderators: dashboard, reply flow, moderation queue and audit log.
urlpatterns += [
    path("doctor/", doctors.dashboard, name="dashboard"),
    path("doctor/apply/", doctors.apply, name="apply"),
    path("doctor/history/", doctors.history, name="history"),
    path("doctor/digest/", doctors.digest_preference, name="digest"),
    path("doctor/questions/<int:pk>/reply/", doctors.reply, name="reply"),
    path(
        "doctor/questions/<int:pk>/information/",
        information.information_request,
        name="information-request",
    ),
    path(
        "doctor/information-requests/<int:pk>/withdraw/",
        information.information_withdraw,
        name="information-withdraw",
    ),
    path("doctor/replies/<int:pk>/edit/", doctors.reply_edit, name="reply-edit"),
    path(
        "doctor/replies/<int:pk>/confirm-accurate/",
        doctors.reply_confirm_accurate,
        name="reply-confirm-accurate",
    ),
    path(
        "doctor/follow-ups/<int:pk>/answer/",
        follow_ups.follow_up_answer,
        name="follow-up-answer",
    ),
    path("moderation/", moderation.moderation, name="moderation"),
    path(
        "moderation/follow-ups/",
        follow_ups.moderation_follow_ups,
        name="moderation-follow-ups",
    ),
    path("moderation/replies/", moderation.moderation_replies, name="moderation-replies"),
    path("moderation/doctors/", moderation.moderation_doctors, name="moderation-doctors"),
    path("moderation/log/", moderation.moderation_log, name="moderation-log"),
    path("moderation/reports/", reports.moderation_reports, name="moderation-reports"),
    path("moderation/reports/<slug:kind>/<int:pk>/", reports.report_decide, name="report-decide"),
    path("moderation/questions/<int:pk>/edit/", moderation.question_edit, name="question-edit"),
    path(
        "moderation/questions/<int:pk>/duplicate/",
        moderation.question_duplicate,
        name="question-duplicate",
    ),
    path(
        "moderation/questions/<int:pk>/reopen/", moderation.question_reopen, name="question-reopen"
    ),
    decision("moderation/questions/<int:pk>/approve/", "question-approve"),
    decision("moderation/questions/<int:pk>/reject/", "question-reject"),
    decision("moderation/replies/<int:pk>/approve/", "reply-approve"),
    decision("moderation/replies/<int:pk>/return/", "reply-return"),
    decision("moderation/replies/<int:pk>/hide/", "reply-hide"),
    decision("moderation/replies/<int:pk>/restore/", "reply-restore"),
    decision("moderation/follow-ups/<int:pk>/approve/", "follow-up-approve"),
    decision("moderation/follow-ups/<int:pk>/reject/", "follow-up-reject"),
    decision("moderation/doctors/<int:pk>/verify/", "doctor-verify"),
    decision("moderation/doctors/<int:pk>/reject/", "doctor-reject"),
    decision("moderation/doctors/<int:pk>/suspend/", "doctor-suspend"),
    decision("moderation/doctors/<int:pk>/restore/", "doctor-restore"),
]
