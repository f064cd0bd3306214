"""The doctor profile admin: forum's, re-registered with what a change refreshes and
with status changes made by the moderation decisions of
answers/actions/moderation/doctors.py."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext

from answers.actions.moderation.doctors import change_doctor_status, transition_between
from forum import admin as forum_admin
from forum.models import DoctorProfile
from questions import admin as questions_admin
from questions import changes

# Doctors: the model and its admin are forum's; what a change refreshes is known above
# forum (questions/changes.py), so the admin is re-registered here with those calls.
admin.site.unregister(DoctorProfile)


class DoctorProfileAdminForm(forms.ModelForm):
    """A change of status is one of the moderation decisions on doctors (verify, reject,
    suspend, restore), with its reason rule: status_reason is the reason given. A new
    profile starts as an application."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status_before = (
            self.instance.status if self.instance.pk else DoctorProfile.Status.APPLIED
        )
        self.transition = None

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if not status or status == self.status_before:
            return cleaned
        self.transition = transition_between(self.status_before, status)
        if self.transition is None:
            labels = dict(DoctorProfile.Status.choices)
            self.add_error(
                "status",
                gettext("A doctor account cannot go from %(before)s to %(after)s.")
                % {"before": labels[self.status_before], "after": labels[status]},
            )
        elif self.transition.reason_required and not cleaned.get("status_reason", "").strip():
            self.add_error("status_reason", gettext("This change of status needs a reason."))
        return cleaned


@admin.register(DoctorProfile)
class DoctorProfileAdmin(questions_admin.RefreshesOnChange, forum_admin.DoctorProfileAdmin):
    form = DoctorProfileAdminForm

    def save_model(self, request, obj, form, change):
        transition = form.transition
        if transition is None:
            super().save_model(request, obj, form, change)
            return
        # The other fields are saved as edited; the status changes by the decision, which
        # also moves the Doctors group membership, logs, e-mails and refreshes the pages.
        reason = obj.status_reason
        obj.status = transition.from_status
        obj.status_reason = form.initial.get("status_reason", "")
        super().save_model(request, obj, form, change)
        decided = change_doctor_status(
            doctor=obj, transition=transition.name, moderator=request.user, reason=reason
        )
        for field in ("status", "status_reason", "verified_by", "verified_at"):
            setattr(obj, field, getattr(decided, field))

    def refresh(self, obj) -> None:
        changes.doctor_changed(obj)
