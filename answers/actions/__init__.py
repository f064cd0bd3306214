"""Writes that touch replies, doctors, articles, FAQs and the tags they share with
questions: verb-named functions, one module per verb or decision family.

- articles.py: articles and FAQs (editors), tags.py: merging tags;
- applying.py: a doctor's application, claims.py: a doctor's claim on a question,
  replying.py: a doctor's reply and the steps every reply change shares;
- moderation/: moderators' decisions on questions, replies and doctor accounts;
- information.py: a doctor's information request and the patient's answer;
- reminders.py: answer-time reminders to doctors and moderators;
- thanks.py: a patient's thanks, digests.py: e-mail digests;
- errors.py: ActionNotAllowed, which every action refuses with.

Every public name is importable from `answers.actions` as well as from its module.
"""

from answers.actions.applying import apply_as_doctor
from answers.actions.articles import (
    confirm_article_review,
    delete_article,
    delete_faq,
    render_article,
    render_faq,
    save_article,
    save_faq,
    set_article_status,
)
from answers.actions.claims import claim_question
from answers.actions.digests import (
    deliver_digest,
    deliver_review_reminder,
    set_digest_preference,
)
from answers.actions.errors import ActionNotAllowed
from answers.actions.information import (
    answer_information_request,
    close_lapsed_information_requests,
    request_information,
    withdraw_information_request,
)
from answers.actions.moderation.doctors import (
    DOCTOR_TRANSITIONS,
    change_doctor_status,
    reject_doctor,
    restore_doctor,
    suspend_doctor,
    verify_doctor,
)
from answers.actions.moderation.questions import redact_and_approve_question
from answers.actions.moderation.replies import (
    approve_reply,
    hide_reply,
    restore_reply,
    return_reply,
)
from answers.actions.replying import (
    confirm_reply_accuracy,
    edit_reply,
    replies_need_approval,
    submit_reply,
)
from answers.actions.tags import merge_tags
from answers.actions.thanks import thank_reply

__all__ = [
    "DOCTOR_TRANSITIONS",
    "ActionNotAllowed",
    "answer_information_request",
    "close_lapsed_information_requests",
    "request_information",
    "withdraw_information_request",
    "apply_as_doctor",
    "approve_reply",
    "change_doctor_status",
    "claim_question",
    "confirm_article_review",
    "confirm_reply_accuracy",
    "delete_article",
    "delete_faq",
    "deliver_digest",
    "deliver_review_reminder",
    "edit_reply",
    "hide_reply",
    "merge_tags",
    "redact_and_approve_question",
    "reject_doctor",
    "render_article",
    "render_faq",
    "replies_need_approval",
    "restore_doctor",
    "restore_reply",
    "return_reply",
    "save_article",
    "save_faq",
    "set_article_status",
    "set_digest_preference",
    "submit_reply",
    "suspend_doctor",
    "thank_reply",
    "verify_doctor",
]
