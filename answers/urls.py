from django.urls import path

from answers import views

app_name = "answers"

urlpatterns = [
    path("faq/", views.faq_list, name="faqs"),
    path("replies/<int:pk>/thank/", views.thank, name="thank"),
]
