import factory
from django.utils import timezone

from forum.tests.factories import SpecialtyFactory, UserFactory
from questions.models import Question, Tag


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"topic {n}")
    slug = factory.LazyAttribute(lambda o: o.name.replace(" ", "-"))


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    author = factory.SubFactory(UserFactory)
    nickname = factory.Sequence(lambda n: f"Walker{n}")
    age_range = Question.AgeRange.AGE_30
    sex = Question.Sex.FEMALE
    specialty = factory.SubFactory(SpecialtyFactory)
    title = factory.Sequence(lambda n: f"Why does my head ache every morning ({n})?")
    body = (
        "For two weeks I have woken up with a dull headache that fades by noon. "
        "What could cause it?"
    )
    status = Question.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class PendingQuestionFactory(QuestionFactory):
    status = Question.Status.PENDING
    published_at = None
