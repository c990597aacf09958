"""The benchmark data generator, run at a tiny scale against the test database."""
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Count, F, Max, Min

from accounts.models import Licence, OutgoingMessage, User
from accounts.roles import Role
from bench import generate
from courses.models import Course, CreditDesignation, Enrolment, Session
from courses.questions.models import Question, QuestionOption
from credits.assignments.models import AssignmentMember
from credits.assignments.reminders import assignment_reminders_due_record
from credits.drills.models import DrillCard, DrillDelivery, DrillEnrolment
from credits.models import CreditRecord
from credits.requirements.selectors import requirement_progress_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(capsys):
    generate.main(["--scale", "0.001", "--reset"])
    return capsys.readouterr().out


def test_loads_every_table_and_prints_rows_and_seconds(generated):
    assert User.objects.count() == 102  # 100 clinicians and 2 educators
    assert Licence.objects.count() == 100
    assert Course.objects.filter(status=Course.Status.PUBLISHED).count() == 20
    assert Session.objects.count() == 100
    assert Enrolment.objects.count() == 1000
    assert CreditRecord.objects.count() == 1000
    assert CreditDesignation.objects.filter(credit_type="ama_pra_1").count() == 20
    assert "enrolments_rows=1000 enrolments_seconds=" in generated
    assert "credit_records_rows=1000 credit_records_seconds=" in generated
    assert "total_seconds=" in generated


def test_generated_rows_respect_the_portals_rules(generated):
    assert not Course.objects.filter(search_vector__isnull=True).exists()
    assert not Course.objects.annotate(n=Count("specialties")).filter(n=0).exists()
    assert Course.objects.filter(topics__isnull=False).exists()
    assert Session.objects.values("checkin_code").distinct().count() == 100
    assert not any(user.has_usable_password() for user in User.objects.all())
    clinicians = Group.objects.get(name=Role.CLINICIAN)
    assert clinicians.user_set.count() == 102
    active = Enrolment.objects.filter(status__in=Enrolment.ACTIVE_STATUSES)
    assert not active.values("user", "course").annotate(n=Count("pk")).filter(n__gt=1).exists()
    for course in (Enrolment.objects.filter(status="waitlisted").values("course")
                   .annotate(n=Count("pk"), low=Min("waitlist_position"),
                             high=Max("waitlist_position"))):
        assert (course["low"], course["high"]) == (1, course["n"])
    voided = CreditRecord.objects.filter(status="voided")
    assert not voided.filter(void_reason="").exists()


def test_new_rows_get_fresh_ids_after_a_load(generated):
    user = UserFactory()
    assert user.pk > 102


def test_generated_clinicians_have_requirement_progress(generated):
    licence = Licence.objects.filter(state="MA", profession="physician").first()
    [progress] = requirement_progress_for(user=licence.user)
    assert progress.total.required == 50


def test_refuses_to_load_over_existing_data_without_reset(generated):
    with pytest.raises(SystemExit, match="pass --reset"):
        generate.main(["--scale", "0.001"])


def _indexes_and_constraints() -> set:
    tables = [Enrolment._meta.db_table, CreditRecord._meta.db_table]
    with connection.cursor() as cursor:
        # Names, not definitions: PostgreSQL prints a re-created WHERE clause differently.
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = ANY(%s) "
                       "UNION ALL SELECT conname FROM pg_constraint "
                       "WHERE conrelid = ANY(%s::regclass[])", [tables, tables])
        return {name for (name,) in cursor.fetchall()}


def test_indexes_and_foreign_keys_dropped_for_the_load_are_all_restored():
    before = _indexes_and_constraints()
    generate.main(["--scale", "0.001", "--reset"])
    assert _indexes_and_constraints() == before
    assert len(before) > 15


def test_hospital_system_scale_loads_drills_and_the_january_burst(capsys):
    generate.main(["--scale", "system:0.01", "--reset"])
    out = capsys.readouterr().out
    assert User.objects.count() == 1515  # 1,500 learners and 15 educators
    assert Course.objects.count() == 200
    assert Enrolment.objects.count() == 30_000
    assert CreditRecord.objects.count() == 50_000
    assert "credit_records_rows=50000 credit_records_seconds=" in out
    drills = Course.objects.filter(format=Course.Format.DRILL, drill_settings__isnull=False)
    assert drills.count() == 1
    assert Question.objects.filter(course__in=drills).count() == 10
    assert QuestionOption.objects.filter(is_correct=True).count() == 10
    assert DrillEnrolment.objects.count() == 500
    assert DrillCard.objects.count() == 5_000
    assert DrillDelivery.objects.count() == 10_000
    assert "drill_deliveries_rows=10000" in out
    assert not DrillDelivery.objects.exclude(question_id=F("card__question_id")).exists()
    assert not DrillDelivery.objects.exclude(enrolment_id=F("card__enrolment_id")).exists()
    # Every member of the burst is owed exactly one reminder by the assigned-learning tick.
    assert AssignmentMember.objects.count() == 200
    assert assignment_reminders_due_record() == 200
    assert OutgoingMessage.objects.filter(kind="assignment_due_soon").count() == 200


def test_a_fraction_of_the_full_size_has_no_drills_or_assignments(generated):
    assert not DrillDelivery.objects.exists()
    assert not AssignmentMember.objects.exists()
