"""Bench set-up, run by bench/load.sh inside `manage.py shell`: the URL list for wrk and
the bench accounts (BENCH_PATIENTS verified patients, bench-patient-<n>@example.org, and
a verified doctor in every specialty, bench-doctor@example.org).

Reads BENCH_WORK (output folder), BENCH_PASSWORD and BENCH_PATIENTS from the environment
and writes BENCH_WORK/paths.txt ("<kind> <path>" lines: qa, search, home, reply) and
BENCH_WORK/flows.env (which flows exist, and the patients' e-mails).
"""

import os
import random
from pathlib import Path
from urllib.parse import quote

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from forum import roles
from forum.models import DoctorProfile, Specialty, User
from questions.models import Question, Tag

work = Path(os.environ["BENCH_WORK"])
password = os.environ["BENCH_PASSWORD"]
rng = random.Random(1)


def url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def account(email):
    user, _ = User.objects.get_or_create(email=email)
    user.set_password(password)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


patients = [
    account(f"bench-patient-{n}@example.org")
    for n in range(1, int(os.environ.get("BENCH_PATIENTS", "8")) + 1)
]
doctor_user = account("bench-doctor@example.org")
doctor_user.groups.add(Group.objects.get(name=roles.DOCTORS))
profile, _ = DoctorProfile.objects.get_or_create(
    user=doctor_user,
    defaults={
        "display_name": "Bench Doctor",
        "license_number": "MD-BENCH",
        "hospital": "Loopback General",
        "status": DoctorProfile.Status.VERIFIED,
        "verified_at": timezone.now(),
    },
)
profile.specialties.set(Specialty.objects.all())

max_pk = Question.objects.published().order_by("-pk").values_list("pk", flat=True).first() or 0
picks = sorted({rng.randint(1, max_pk) for _ in range(3000)}) if max_pk else []
questions = list(Question.objects.published().filter(pk__in=picks).only("pk", "slug"))
# Questions the bench doctor may reply to (one reply per doctor and question): the
# unanswered ones first, then answered ones, where the reply is a second opinion.
already = set(profile.replies.values_list("question_id", flat=True))
unanswered = list(
    Question.objects.published().unanswered().order_by("-pk").values_list("pk", flat=True)[:5000]
)
reply_picks = [pk for pk in unanswered if pk not in already]
skip = already | set(unanswered)
reply_picks += [q.pk for q in questions if q.pk not in skip]
reply_picks = reply_picks[:5000]
tags = list(Tag.objects.order_by("?").values_list("slug", flat=True)[:300])
specialties = list(Specialty.objects.values_list("slug", flat=True))
search = url("forum:search")
words = ["headache", "sleep", "cough", "back pain", "rash", "anxiety", "fever", "dizziness"]

lines = [f"qa {q.get_absolute_url()}" for q in questions]
lines.append("home /")
if search:
    lines += [f"search {search}?q={quote(w)}" for w in words]
else:  # until search exists: specialty and tag pages stand in for it
    lines += [f"search {url('forum:specialty', slug)}" for slug in specialties]
    lines += [f"search {url('questions:tag', slug)}" for slug in tags]
reply_urls = [url("answers:reply", pk) for pk in reply_picks] if url("answers:reply", 1) else []
lines += [f"reply {path}" for path in reply_urls]
(work / "paths.txt").write_text("\n".join(lines) + "\n")

flows = {
    "SEARCH": "1" if search else "0",
    "ASK_URL": url("questions:ask") or "",
    "REPLY": "1" if reply_urls else "0",
    "SPECIALTY_ID": str(Specialty.objects.order_by("pk").values_list("pk", flat=True).first()),
    "PATIENT_EMAILS": ",".join(user.email for user in patients),
}
(work / "flows.env").write_text("".join(f"{k}={v}\n" for k, v in flows.items()))
print(f"prepared {len(questions)} Q&A paths, {len(reply_urls)} reply paths; flows: {flows}")
