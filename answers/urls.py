from django.urls import path

from answers import views

app_name = "answers"

urlpatterns = [
    path("faq/", views.faq_list, name="faqs"),
    path("replies/<int:pk>/thank/", views.thank, name="thank"),
]

# Doctors and moderators: dashboard, reply flow, moderation queue and audit log.
urlpatterns += [
    path("doctor/", views.dashboard, name="dashboard"),
    path("doctor/apply/", views.apply, name="apply"),
    path("doctor/history/", views.history, name="history"),
    path("doctor/digest/", views.digest_preference, name="digest"),
    path("doctor/questions/<int:pk>/reply/", views.reply, name="reply"),
    path("doctor/replies/<int:pk>/edit/", views.reply_edit, name="reply-edit"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/replies/", views.moderation_replies, name="moderation-replies"),
    path("moderation/doctors/", views.moderation_doctors, name="moderation-doctors"),
    path("moderation/log/", views.moderation_log, name="moderation-log"),
    path("moderation/questions/<int:pk>/edit/", views.question_edit, name="question-edit"),
    path("moderation/questions/<int:pk>/approve/", views.question_approve, name="question-approve"),
    path("moderation/questions/<int:pk>/reject/", views.question_reject, name="question-reject"),
    path("moderation/replies/<int:pk>/approve/", views.reply_approve, name="reply-approve"),
    path("moderation/replies/<int:pk>/return/", views.reply_return, name="reply-return"),
    path("moderation/replies/<int:pk>/hide/", views.reply_hide, name="reply-hide"),
    path("moderation/replies/<int:pk>/restore/", views.reply_restore, name="reply-restore"),
    path("moderation/doctors/<int:pk>/verify/", views.doctor_verify, name="doctor-verify"),
    path("moderation/doctors/<int:pk>/reject/", views.doctor_reject, name="doctor-reject"),
    path("moderation/doctors/<int:pk>/suspend/", views.doctor_suspend, name="doctor-suspend"),
    path("moderation/doctors/<int:pk>/restore/", views.doctor_restore, name="doctor-restore"),
]
