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


# --- Courses, sessions, enrolment, attendance and credit (appended by the reminders area) -----

class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.Course"

    title = factory.Sequence(lambda n: f"Grand rounds {n}")
    slug = factory.Sequence(lambda n: f"grand-rounds-{n}")
    summary = "Monthly grand rounds for the hospital medicine service."
    status = "published"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.Session"

    course = factory.SubFactory(CourseFactory)
    starts_at = factory.LazyFunction(
        lambda: datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(hours=1))
    location = "Auditorium B"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.Enrolment"

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    status = "enrolled"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "credits.Attendance"

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(UserFactory)
    status = "present"
    source = "check_in"


class CreditRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "credits.CreditRecord"

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    credit_type = "ama_pra_1"
    amount = 1
    completed_on = datetime.date(2026, 10, 1)
    claimed_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))
    source = "claim"
