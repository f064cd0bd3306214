from django.urls import path, register_converter

from questions import views


class UnicodeSlugConverter:
    """A slug in any script ("頭痛", "chest-pain"): letters, digits, "_" and "-", as
    SlugField(allow_unicode=True) and slugify(allow_unicode=True) make them. Django's
    `slug` converter takes ASCII only; browsers send these percent-encoded and Django
    decodes them before matching."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UnicodeSlugConverter, "uslug")

app_name = "questions"

urlpatterns = [
    # Patients: ask, follow, own (before the detail route, whose slug would match "edit").
    path("new/", views.ask, name="ask"),
    path("new/<int:pk>/", views.ask_done, name="asked"),
    path("new/verify-email/", views.resend_verification, name="resend-verification"),
    path("new/screen/", views.screen_text, name="screen-text"),
    path("similar-titles/", views.similar_titles, name="similar-titles"),
    path("mine/", views.my_questions, name="mine"),
    path("mine/export/", views.export_my_data, name="export"),
    path("mine/delete-account/", views.delete_my_account, name="delete-account"),
    path("<int:pk>/edit/", views.edit_question, name="edit"),
    path("<int:pk>/emails/", views.question_emails, name="emails"),
    path("<int:pk>/withdraw/", views.withdraw_question, name="withdraw"),
    # Reading. The Q&A page (detail, detail-short) shows replies and articles too: its view
    # is answers/qa_page.py, routed in this namespace by forum/urls.py.
    path("tags/<uslug:slug>/", views.tag_detail, name="tag"),
]
