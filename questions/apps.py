from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = "Questions"

    def ready(self) -> None:
        # The outbox (forum/mail.py, a layer below) asks this app whether the author
        # stopped e-mails about one question.
        from forum.mail import register_question_mute
        from questions.models import Question

        def is_muted(user, question_id: int) -> bool:
            return Question.objects.filter(pk=question_id, emails_muted=True).exists()

        def mute(user, question_id: int) -> bool:
            return (
                Question.objects.filter(pk=question_id, author=user).update(emails_muted=True) == 1
            )

        register_question_mute(is_muted=is_muted, mute=mute)
