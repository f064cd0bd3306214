"""What a verified doctor sees of agreements on the Q&A page: which replies they may
agree with (or flag), and which they agree with. Only signed-in pages show it; the
anonymous, cached page is the same for everyone."""

from __future__ import annotations

from answers.permissions import can_agree_with
from forum import roles
from forum.models import DoctorProfile
from questions.models import Question


def viewer_agreements(request, question: Question, replies: list) -> dict:
    """{"agreeable_reply_ids", "agreed_reply_ids"} for a verified doctor viewing the
    page (two queries: their specialties and the replying doctors'); empty otherwise."""
    empty: dict = {"agreeable_reply_ids": set(), "agreed_reply_ids": set()}
    if not replies or not request.user.is_authenticated or not question.is_published:
        return empty
    doctor = roles.verified_doctor(request.user)
    if doctor is None:
        return empty
    mine = set(doctor.specialties.values_list("pk", flat=True))
    theirs: dict[int, set[int]] = {}
    links = DoctorProfile.specialties.through.objects.filter(
        doctorprofile_id__in={reply.doctor_id for reply in replies}
    ).values_list("doctorprofile_id", "specialty_id")
    for doctor_id, specialty_id in links:
        theirs.setdefault(doctor_id, set()).add(specialty_id)
    agreeable = {
        reply.pk
        for reply in replies
        if can_agree_with(
            doctor,
            reply,
            doctor_specialty_ids=mine,
            author_specialty_ids=theirs.get(reply.doctor_id, set()),
        )
    }
    agreed = {
        reply.pk
        for reply in replies
        if any(agreement["id"] == doctor.pk for agreement in reply.page_agreements)
    }
    return {"agreeable_reply_ids": agreeable, "agreed_reply_ids": agreed}
