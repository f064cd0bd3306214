"""schema.org JSON-LD for the Q&A page: QAPage, and MedicalWebPage for "More Info".

Only schema.org types and properties are used. The templates print these dicts
with the ``jsonld`` filter (questions/templatetags/qa_page.py), which escapes them
for a <script type="application/ld+json"> element.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext

from questions.models import Question

# Our specialties (by slug) that match a member of schema.org's MedicalSpecialty
# enumeration; others are given as a MedicalSpecialty with their name.
MEDICAL_SPECIALTIES = {
    "anesthesiology": "Anesthesia",
    "cardiology": "Cardiovascular",
    "dentistry": "Dentistry",
    "dermatology": "Dermatology",
    "emergency-medicine": "Emergency",
    "endocrinology": "Endocrine",
    "family-medicine": "PrimaryCare",
    "gastroenterology": "Gastroenterologic",
    "genetics": "Genetic",
    "geriatrics": "Geriatric",
    "gynecology": "Gynecologic",
    "obstetrics-and-gynecology": "Obstetric",
    "hematology": "Hematologic",
    "infectious-diseases": "Infectious",
    "nephrology": "Renal",
    "neurology": "Neurologic",
    "nutrition": "DietNutrition",
    "oncology": "Oncologic",
    "ophthalmology": "Optometric",
    "orthopedics": "Musculoskeletal",
    "otolaryngology": "Otolaryngologic",
    "pathology": "Pathology",
    "pediatrics": "Pediatric",
    "pharmacy": "PharmacySpecialty",
    "physical-therapy": "Physiotherapy",
    "plastic-surgery": "PlasticSurgery",
    "psychiatry": "Psychiatric",
    "pulmonology": "Pulmonary",
    "radiology": "Radiography",
    "rheumatology": "Rheumatologic",
    "surgery": "Surgical",
    "general-surgery": "Surgical",
    "urology": "Urologic",
}


def _doctor(doctor) -> dict:
    # The name as the page shows it ("Dr. Lin" / 「林醫師」), in the page's language.
    data = {"@type": "Person", "name": gettext("Dr. %(name)s") % {"name": doctor.display_name}}
    if doctor.is_verified:
        data["url"] = settings.SITE_URL + doctor.get_absolute_url()
    return data


def specialty_data(specialty) -> str | dict:
    member = MEDICAL_SPECIALTIES.get(specialty.slug)
    if member:
        return f"https://schema.org/{member}"
    return {"@type": "MedicalSpecialty", "name": specialty.localized_name}


def qa_page_data(*, question: Question, replies: list, url: str, name: str) -> dict:
    """A QAPage whose Question lists each published reply as a suggested Answer."""
    return {
        "@context": "https://schema.org",
        "@type": "QAPage",
        "url": url,
        "name": name,
        "mainEntity": {
            "@type": "Question",
            "name": question.title,
            "text": question.body,
            "dateCreated": question.created_at.isoformat(),
            "author": {"@type": "Person", "name": question.nickname},
            "answerCount": len(replies),
            "suggestedAnswer": [
                {
                    "@type": "Answer",
                    "text": reply.body,
                    "dateCreated": (reply.published_at or reply.created_at).isoformat(),
                    "url": f"{url}#reply-{reply.pk}",
                    "author": _doctor(reply.doctor),
                }
                for reply in replies
            ],
        },
    }


def medical_web_page_data(*, article, question: Question, url: str) -> dict:
    """A MedicalWebPage for a published "More Info" article: reviewer, review date, specialty."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": f"{url}#article-{article.pk}",
        "url": url,
        "name": article.title,
        "specialty": specialty_data(question.specialty),
    }
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
    if article.reviewer_id:
        data["reviewedBy"] = _doctor(article.reviewer)
    if article.reviewed_on:
        data["lastReviewed"] = article.reviewed_on.isoformat()
    return data
