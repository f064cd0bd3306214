"""The questions app's views, one module per part of the patient's path: reading
(questions by tag), asking (the form, screening, the safety step), suggestions (similar
answered titles while typing) and mine (the patient's own questions, withdrawing one,
export, closing the account). The Q&A page itself is answers/qa_page.py (it shows both
apps' data)."""

from questions.views.asking import ask, ask_done, resend_verification, screen_text
from questions.views.emails import question_emails
from questions.views.mine import (
    delete_my_account,
    edit_question,
    export_my_data,
    my_questions,
    withdraw_question,
)
from questions.views.reading import tag_detail
from questions.views.suggestions import similar_titles

__all__ = [
    "ask",
    "question_emails",
    "ask_done",
    "delete_my_account",
    "edit_question",
    "export_my_data",
    "my_questions",
    "resend_verification",
    "screen_text",
    "similar_titles",
    "tag_detail",
    "withdraw_question",
]
