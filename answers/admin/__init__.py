"""Admin for replies, articles and FAQs: the editors' workplace, one module per screen.

Every write goes through answers/actions/ (rendered HTML cached on save, audit log,
page caches refreshed); a doctor's status changes only by a moderation decision
(answers/actions/moderation/doctors.py), here as in the moderation queue. The question
and tag admins of `questions` are extended with what lives here: replies and attached
articles on a question, FAQ counts and merging on tags.

- articles.py: articles and FAQs; previews.py: their live Markdown preview;
- replies.py: replies; doctors.py: doctor profiles;
- questions.py, tags.py: the extended question and tag admins.
"""

from django.contrib import admin

from answers.admin import articles, doctors, questions, replies, tags  # noqa: F401 (registers)
from answers.models import DigestDelivery, QuestionClaim, Thank

admin.site.register(Thank)
admin.site.register(QuestionClaim)
admin.site.register(DigestDelivery)
