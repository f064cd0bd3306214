import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from forum import roles
from forum.models import DoctorProfile, Specialty, User

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        """Give the account a verified primary address (allauth), unless verified_email=False."""
        if create and extracted is not False:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()

    @factory.post_generation
    def consented(self, create, extracted, **kwargs):
        """Agreed to the current privacy notice and terms at sign-up (forum/legal.py),
        unless consented=False (an account from before the documents had versions)."""
        if create and extracted is not False:
            from forum.legal import record_consent

            record_consent(self, "en")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get(name=name))


def _join(user, name: str) -> None:
    user.groups.add(Group.objects.get(name=name))


class ModeratorFactory(UserFactory):
    groups = factory.PostGeneration(
        lambda user, create, extracted, **kw: _join(user, roles.MODERATORS)
    )


class EditorFactory(UserFactory):
    is_staff = True
    groups = factory.PostGeneration(
        lambda user, create, extracted, **kw: _join(user, roles.EDITORS)
    )


class SpecialtyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialty
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Specialty {n}")
    slug = factory.Sequence(lambda n: f"specialty-{n}")
    description = "Care of one part of the body."


class DoctorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DoctorProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, groups=[roles.DOCTORS])
    display_name = factory.Sequence(lambda n: f"Chen Wen-{n}")
    license_number = factory.Sequence(lambda n: f"MD-{100000 + n}")
    hospital = "Harbour General Hospital"
    bio = "Consultant physician."
    status = DoctorProfile.Status.VERIFIED
    verified_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def specialties(self, create, extracted, **kwargs):
        if not create:
            return
        for specialty in extracted or [SpecialtyFactory()]:
            self.specialties.add(specialty)
