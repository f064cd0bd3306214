import factory
from django.utils import timezone

from answers.models import FAQ, Article, Reply
from forum.tests.factories import DoctorProfileFactory, EditorFactory
from questions.models import FollowUp
from questions.tests.factories import QuestionFactory


class ReplyFactory(factory.django.DjangoModelFactory):
    """A published reply; marks its question answered like publishing does."""

    class Meta:
        model = Reply
        skip_postgeneration_save = True

    question = factory.SubFactory(QuestionFactory)
    doctor = factory.SubFactory(DoctorProfileFactory)
    body = (
        "Morning headaches are often linked to sleep. "
        "Please see your family doctor if it continues."
    )
    status = Reply.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def mark_answered(self, create, extracted, **kwargs):
        if create and self.status == Reply.Status.PUBLISHED and self.question.answered_at is None:
            self.question.answered_at = self.published_at
            self.question.save(update_fields=["answered_at"])


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Understanding headaches, part {n}")
    slug = factory.Sequence(lambda n: f"understanding-headaches-{n}")
    body = "## Causes\n\n- Sleep\n- Stress\n"
    body_html = "<h2>Causes</h2><ul><li>Sleep</li><li>Stress</li></ul>"
    status = Article.Status.PUBLISHED
    author = factory.SubFactory(EditorFactory)
    reviewer = factory.SubFactory(DoctorProfileFactory)
    reviewed_on = factory.LazyFunction(lambda: timezone.localdate())
    published_at = factory.LazyFunction(timezone.now)


class FAQFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FAQ

    question = factory.Sequence(lambda n: f"How long does a cold last ({n})?")
    answer = "Usually seven to ten days."
    answer_html = "<p>Usually seven to ten days.</p>"
    is_published = True


class FollowUpFactory(factory.django.DjangoModelFactory):
    """A published follow-up under a published reply (the reply's question, its author)."""

    class Meta:
        model = FollowUp

    reply = factory.SubFactory(ReplyFactory)
    question = factory.LazyAttribute(lambda o: o.reply.question)
    author = factory.LazyAttribute(lambda o: o.reply.question.author)
    body = "Thank you. Should I still take the tablets when the headache is gone by noon?"
    status = FollowUp.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
