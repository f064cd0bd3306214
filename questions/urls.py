from django.urls import path

from questions import views

app_name = "questions"

urlpatterns = [
    path("<int:pk>/", views.question_redirect, name="detail-short"),
    path("<int:pk>/<str:slug>/", views.question_detail, name="detail"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
]
