"""factory_boy factories shared by the suite."""
import datetime
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import Licence, User
from accounts.roles import Role
from accounts.services import user_role_grant
from courses.credit_types import CreditType
from courses.disclosures.models import FinancialDisclosure, FinancialRelationship
from courses.disclosures.models import valid_until as disclosure_valid_until
from courses.models import Course, CreditDesignation, Disclosure, Enrolment, Faculty, Session
from courses.services.search import course_search_index_update

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


class CourseFactory(factory.django.DjangoModelFactory):
    """A published live course; its search vector is refreshed after creation."""

    class Meta:
        model = Course
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "An accredited activity for the care team."
    format = Course.Format.LIVE
    status = Course.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def directors(self, create, extracted, **kwargs):
        if create and extracted:
            self.directors.set(extracted)

    @factory.post_generation
    def search_index(self, create, extracted, **kwargs):
        if create:
            course_search_index_update(course_ids=[self.pk])


class DraftCourseFactory(CourseFactory):
    """A course its directors are still writing."""

    status = Course.Status.DRAFT
    published_at = None


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory)
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=7)).replace(microsecond=0))
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + datetime.timedelta(hours=1))
    location = "Main auditorium"

    @factory.post_generation
    def faculty(self, create, extracted, **kwargs):
        if create and extracted:
            self.faculty.set(extracted)


class FacultyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Faculty

    full_name = factory.Faker("name")
    degree = "MD"


class CreditDesignationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreditDesignation

    course = factory.SubFactory(CourseFactory)
    credit_type = CreditType.AMA_PRA_1
    max_credits = Decimal("1.00")


class FinancialDisclosureFactory(factory.django.DjangoModelFactory):
    """A signed self-disclosure of no relationships, signed today (valid 12 months)."""

    class Meta:
        model = FinancialDisclosure

    person = factory.SubFactory(FacultyFactory)
    none_to_disclose = True
    signature = factory.LazyAttribute(lambda o: o.person.full_name)
    signed_at = factory.LazyFunction(timezone.now)
    signed_on = factory.LazyAttribute(lambda o: timezone.localdate(o.signed_at))
    valid_until = factory.LazyAttribute(lambda o: disclosure_valid_until(o.signed_on))


class DisclosureFactory(factory.django.DjangoModelFactory):
    """A person listed on a course (a role in control of content). Unless `signed=False`, they
    also get a current signed disclosure of no relationships when they have none, so the
    course can publish; pass `relationship=("Consultant company", "consultant")` to disclose
    one instead (not yet mitigated)."""

    class Meta:
        model = Disclosure
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory)
    faculty = factory.SubFactory(FacultyFactory)

    @factory.post_generation
    def signed(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        relationship = kwargs.get("relationship")
        if relationship is None and self.faculty.financial_disclosures.filter(
                valid_until__gt=timezone.localdate()).exists():
            return
        disclosure = FinancialDisclosureFactory(person=self.faculty,
                                                none_to_disclose=relationship is None)
        if relationship is not None:
            company, nature = relationship
            FinancialRelationship.objects.create(disclosure=disclosure, company=company,
                                                 nature=nature)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    status = Enrolment.Status.ENROLLED


def course_ready_for_review(*, directors, **fields):
    """A draft course with everything the CME office needs: its directors listed as course
    directors with signed disclosures (as `course_create` lists them), a 1-hour session taught by
    a faculty member with a disclosure, and a 1.00 AMA PRA Category 1 designation."""
    course = DraftCourseFactory(directors=directors, **fields)
    for director in directors:
        person = Faculty.objects.filter(user=director).first() or FacultyFactory(
            user=director, full_name=director.full_name)
        DisclosureFactory(course=course, faculty=person, role=Disclosure.Role.DIRECTOR)
    faculty = FacultyFactory(full_name="Ana Costa")
    SessionFactory(course=course, faculty=[faculty])
    DisclosureFactory(course=course, faculty=faculty)
    CreditDesignationFactory(course=course, max_credits=1)
    return course


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "credits.Attendance"

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(UserFactory)
    status = "present"
    source = "check_in"
    checked_in_at = factory.LazyAttribute(lambda attendance: attendance.session.starts_at)


class CreditRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "credits.CreditRecord"

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    credit_type = "ama_pra_1"
    amount = Decimal("1.50")
    completed_on = datetime.date(2026, 3, 2)
    claimed_at = factory.LazyFunction(
        lambda: datetime.datetime(2026, 3, 3, 9, 0, tzinfo=datetime.UTC))
    source = "claim"


def relationship_disclosed(*, course, faculty, company: str, nature: str = "consultant",
                           role: str = "faculty", mitigated_by=None,
                           step: str = "peer_review"):
    """List `faculty` on `course` with a signed disclosure of one relationship, mitigated for
    the course by `mitigated_by` (a user) when given. Returns the relationship."""
    from courses.disclosures.models import Mitigation

    DisclosureFactory(course=course, faculty=faculty, role=role, signed=False)
    disclosure = FinancialDisclosureFactory(person=faculty, none_to_disclose=False)
    relationship = FinancialRelationship.objects.create(disclosure=disclosure, company=company,
                                                        nature=nature)
    if mitigated_by is not None:
        Mitigation.objects.create(course=course, relationship=relationship, relevant=True,
                                  step=step, reviewer=mitigated_by, decided_at=timezone.now())
    return relationship
