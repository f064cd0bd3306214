from django.shortcuts import render

from answers.models import FAQ


def faq_list(request):
    faqs = FAQ.objects.published().select_related("specialty")
    return render(request, "answers/faq_list.html", {"faqs": faqs})
