from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.db.models import Count, Q, Sum
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from answers.models import Reply
from forum.models import DoctorProfile, Specialty
from questions.models import Question


def home(request):
    specialties = Specialty.objects.annotate(
        answered_count=Count(
            "questions",
            filter=Q(
                questions__status=Question.Status.PUBLISHED,
                questions__answered_at__isnull=False,
            ),
        )
    )
    latest = Question.objects.latest_answered().for_list()[:10]
    return render(request, "forum/home.html", {"specialties": specialties, "latest": latest})


def specialty_detail(request, slug):
    specialty = get_object_or_404(Specialty, slug=slug)
    questions = Question.objects.latest_answered().filter(specialty=specialty).for_list()
    page = Paginator(questions, 20).get_page(request.GET.get("page"))
    doctors = specialty.doctors.verified().order_by("display_name")
    return render(
        request,
        "forum/specialty_detail.html",
        {"specialty": specialty, "page_obj": page, "doctors": doctors},
    )


def doctor_detail(request, slug):
    """A verified doctor's public profile: who they are and what they answered."""
    doctor = get_object_or_404(
        DoctorProfile.objects.verified().prefetch_related("specialties"), slug=slug
    )
    answers = Reply.objects.published().filter(
        doctor=doctor, question__status=Question.Status.PUBLISHED
    )
    totals = answers.aggregate(count=Count("id"), thanks=Sum("thanks_count"))
    latest = answers.select_related("question__specialty").order_by("-published_at", "-id")[:10]
    return render(
        request,
        "forum/doctor_detail.html",
        {
            "doctor": doctor,
            "answer_count": totals["count"],
            "thanks_count": totals["thanks"] or 0,
            "latest_answers": latest,
        },
    )


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /accounts/", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")
