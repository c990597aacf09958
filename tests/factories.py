"""factory_boy factories shared by the suite."""
import datetime

import factory
from allauth.account.models import EmailAddress

from accounts.models import Licence, User
from accounts.roles import Role
from accounts.services import user_role_grant

TEST_PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@hospital.example")
    full_name = factory.Faker("name")
    degree = "MD"
    profession = "physician"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create:
            return
        self.save()
        EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        for role in extracted if extracted is not None else [Role.CLINICIAN]:
            user_role_grant(user=self, role=role)


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Licence

    user = factory.SubFactory(UserFactory)
    state = "MA"
    profession = "physician"
    number = factory.Sequence(lambda n: f"{200000 + n}")
    expires_on = datetime.date(2027, 3, 14)
