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


# --- Courses (publishing) ----------------------------------------------------------------------

class CourseFactory(factory.django.DjangoModelFactory):
    """A draft course; pass `directors=[user, ...]` to make people its directors."""

    class Meta:
        model = "courses.Course"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Grand rounds {n}")
    slug = factory.Sequence(lambda n: f"grand-rounds-{n}")
    summary = "Monthly update for hospital medicine."
    format = "live"

    @factory.post_generation
    def directors(self, create, extracted, **kwargs):
        if create and extracted:
            self.directors.set(extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.Session"
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory)
    starts_at = factory.LazyFunction(
        lambda: (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7)).replace(
            minute=0, second=0, microsecond=0))
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + datetime.timedelta(hours=1))
    location = "Main auditorium"

    @factory.post_generation
    def faculty(self, create, extracted, **kwargs):
        if create and extracted:
            self.faculty.set(extracted)


class FacultyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.Faculty"

    full_name = factory.Faker("name")
    degree = "MD"


class CreditDesignationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.CreditDesignation"

    course = factory.SubFactory(CourseFactory)
    credit_type = "ama_pra_1"
    max_credits = 1


class DisclosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.Disclosure"

    course = factory.SubFactory(CourseFactory)
    faculty = factory.SubFactory(FacultyFactory)
    role = "faculty"
    has_relevant_relationships = False


def course_ready_for_review(*, directors, **fields):
    """A draft course with everything the CME office needs: a 1-hour session taught by a
    faculty member with a disclosure, and a 1.00 AMA PRA Category 1 designation."""
    course = CourseFactory(directors=directors, **fields)
    faculty = FacultyFactory(full_name="Ana Costa")
    SessionFactory(course=course, faculty=[faculty])
    DisclosureFactory(course=course, faculty=faculty)
    CreditDesignationFactory(course=course, max_credits=1)
    return course
