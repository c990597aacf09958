"""Skills checklists end to end: a preceptor validates three nurses on a phone, one needing
remediation; the history is append-only below the application; completion puts a record on the
transcript with a PDF of the validated competencies."""
import datetime
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from credits.checklists.models import LearnerChecklist, Skill, SkillValidation
from credits.checklists.services import (
    checklist_version_create,
    learner_checklist_open,
    self_assessment_record,
    skill_validation_record,
)
from credits.checklists.views import validation_code_for
from credits.ledger.models import CreditRecord
from tests.credits.certificates.certificate_helpers import tasks_run_in_process  # noqa: F401  (a fixture)
from tests.credits.checklists.helpers import authorise, make_checklist, make_unit, outline_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def skills_of(learner_checklist) -> list[Skill]:
    return list(Skill.objects.filter(section__version=learner_checklist.version)
                .order_by("section__position", "position"))


def post_validation(client, learner_checklist, skill, status="validated", **extra):
    prefix = f"skill-{skill.pk}"
    data = {"skill": skill.pk, f"{prefix}-status": status,
            f"{prefix}-method": "return_demonstration", f"{prefix}-level": 3,
            f"{prefix}-validated_on": timezone.localdate().isoformat(),
            **{f"{prefix}-{name}": value for name, value in extra.items()}}
    return client.post(reverse("checklists:validate", args=[learner_checklist.pk]), data)


@pytest.fixture
def ward():
    preceptor = UserFactory(full_name="Grace Okafor", degree="RN", profession="nurse")
    nurses = [UserFactory(full_name=name, degree="RN", profession="nurse")
              for name in ("Amelia Chen", "Luis Navarro", "Hannah Brooks")]
    unit = make_unit("4 West Medical-Surgical", preceptor, *nurses)
    checklist = make_checklist(skills=20)
    authorise(checklist, preceptor, unit)
    opened = [learner_checklist_open(checklist=checklist, learner=nurse) for nurse in nurses]
    return {"preceptor": preceptor, "nurses": nurses, "unit": unit, "checklist": checklist,
            "opened": opened}


@pytest.mark.usefixtures("tasks_run_in_process")
def test_a_preceptor_validates_three_nurses_on_a_phone_one_needing_remediation(
        client, ward, django_capture_on_commit_callbacks, tmp_path):
    client.force_login(ward["preceptor"])
    amelia, luis, hannah = ward["opened"]
    for learner_checklist in (amelia, luis):
        for skill in skills_of(learner_checklist):
            with django_capture_on_commit_callbacks(execute=True):
                response = post_validation(client, learner_checklist, skill)
            assert response.status_code == 302
    hannah_skills = skills_of(hannah)
    for skill in hannah_skills[:-1]:
        post_validation(client, hannah, skill)
    post_validation(client, hannah, hannah_skills[-1], status="needs_remediation",
                    note="Broke sterile field when removing the old dressing; review policy")

    for learner_checklist in (amelia, luis, hannah):
        learner_checklist.refresh_from_db()
    assert [amelia.status, luis.status, hannah.status] == ["completed", "completed",
                                                           "in_progress"]
    assert amelia.expires_on == amelia.completed_on.replace(year=amelia.completed_on.year + 1)
    page = client.get(reverse("checklists:validate", args=[hannah.pk]))
    assert "19 of 20 skills done" in page.content.decode()
    assert "Needs remediation" in page.content.decode()

    # A week later, the remediated skill is observed again: no correction reason needed.
    with django_capture_on_commit_callbacks(execute=True):
        post_validation(client, hannah, hannah_skills[-1])
    hannah.refresh_from_db()
    assert hannah.status == "completed"
    assert SkillValidation.objects.filter(learner_checklist=hannah).count() == 21

    # On the transcript, with a PDF of what was validated, by whom and when.
    record = CreditRecord.objects.get(user=ward["nurses"][0])
    assert record.external_activity.title.startswith("Annual nursing competencies 2027")
    assert record.amount == amelia.checklist.hours
    amelia.refresh_from_db()
    client.force_login(ward["nurses"][0])
    response = client.get(reverse("checklists:mine_pdf", args=[amelia.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf_path = tmp_path / "amelia.pdf"
    pdf_path.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Validated competencies: Annual nursing competencies 2027" in text
    assert "Amelia Chen" in text
    for skill in skills_of(amelia):
        assert skill.title in text
    assert text.count("Grace Okafor") == 20
    assert timezone.localdate().strftime("%-d %b %Y") in text
    assert text.count("Return") == 20  # "Return demonstration", wrapped in its column


def test_history_cannot_be_edited_or_deleted_with_raw_sql(ward):
    learner_checklist = ward["opened"][0]
    skill = skills_of(learner_checklist)[0]
    entry = skill_validation_record(learner_checklist=learner_checklist, skill=skill,
                                    validator=ward["preceptor"], status="validated",
                                    method="observation", level=3)
    self_assessment_record(learner_checklist=learner_checklist, skill=skill, level=2)
    for statement in ("UPDATE checklists_skillvalidation SET level = 4 WHERE id = %s",
                      "DELETE FROM checklists_skillvalidation WHERE id = %s",
                      "UPDATE checklists_selfassessment SET level = 4",
                      "DELETE FROM checklists_selfassessment"):
        with pytest.raises(IntegrityError, match="cannot be changed or deleted"), \
                transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk] if "%s" in statement else None)
    entry.refresh_from_db()
    assert entry.level == 3


def test_a_correction_is_a_new_entry_with_a_reason(ward):
    learner_checklist = ward["opened"][0]
    skill = skills_of(learner_checklist)[0]
    common = {"learner_checklist": learner_checklist, "skill": skill,
              "validator": ward["preceptor"], "method": "observation"}
    first = skill_validation_record(status="validated", level=2, **common)
    with pytest.raises(ValidationError, match="give a reason"):
        skill_validation_record(status="validated", level=3, **common)
    correction = skill_validation_record(status="validated", level=3,
                                         correction_reason="Entered level 2 by mistake",
                                         **common)
    assert correction.corrects == first
    assert list(SkillValidation.objects.filter(skill=skill).values_list("level", flat=True)) \
        == [2, 3]


def test_nobody_validates_themselves_not_even_with_raw_sql(ward):
    preceptor = ward["preceptor"]
    own = learner_checklist_open(checklist=ward["checklist"], learner=preceptor)
    skill = skills_of(own)[0]
    with pytest.raises(ValidationError, match="not authorised"):
        skill_validation_record(learner_checklist=own, skill=skill, validator=preceptor,
                                status="validated", method="observation", level=3)
    with pytest.raises(IntegrityError, match="own checklist"), transaction.atomic():
        SkillValidation.objects.create(learner_checklist=own, skill=skill, validator=preceptor,
                                       method="observation", level=3, status="validated",
                                       validated_on=timezone.localdate())


def test_the_learners_qr_code_opens_the_validation_page_for_an_authorised_validator(
        client, ward):
    learner_checklist = ward["opened"][0]
    code_url = reverse("checklists:validate_code", args=[validation_code_for(learner_checklist)])
    client.force_login(ward["preceptor"])
    assert client.get(code_url)["Location"] == reverse("checklists:validate",
                                                       args=[learner_checklist.pk])
    # The learner themselves and a validator of another unit reach nothing.
    client.force_login(ward["nurses"][0])
    assert client.get(code_url).status_code == 404
    elsewhere = UserFactory(full_name="Ines Duarte")
    authorise(ward["checklist"], elsewhere, make_unit("Emergency Department", elsewhere))
    client.force_login(elsewhere)
    assert client.get(code_url).status_code == 404
    assert client.get(reverse("checklists:validate", args=[learner_checklist.pk])).status_code \
        == 404
    assert client.get(reverse("checklists:validate_code", args=["forged"])).status_code == 404


def test_search_finds_only_learners_the_validator_may_validate(client, ward):
    outsider = UserFactory(full_name="Amelia Outsider")
    learner_checklist_open(checklist=ward["checklist"], learner=outsider)
    client.force_login(ward["preceptor"])
    page = client.get(reverse("checklists:validate_search"), {"q": "amelia"}).content.decode()
    assert "Amelia Chen" in page
    assert "Amelia Outsider" not in page


def test_a_new_version_leaves_old_validations_on_the_old_version(ward):
    learner_checklist = ward["opened"][0]
    skill = skills_of(learner_checklist)[0]
    skill_validation_record(learner_checklist=learner_checklist, skill=skill,
                            validator=ward["preceptor"], status="validated",
                            method="observation", level=3)
    version_2 = checklist_version_create(checklist=ward["checklist"],
                                         actor=ward["checklist"].owner,
                                         outline=outline_of(21))
    assert version_2.number == 2
    learner_checklist.refresh_from_db()
    assert learner_checklist.version.number == 1
    assert SkillValidation.objects.get().skill.section.version.number == 1
    newcomer = UserFactory()
    assert learner_checklist_open(checklist=ward["checklist"],
                                  learner=newcomer).version == version_2
    # A skill of version 2 cannot be recorded on a version 1 checklist.
    new_skill = Skill.objects.filter(section__version=version_2).first()
    with pytest.raises(ValidationError, match="not on the learner's version"):
        skill_validation_record(learner_checklist=learner_checklist, skill=new_skill,
                                validator=ward["preceptor"], status="validated",
                                method="observation", level=3)


def test_a_method_the_skill_does_not_accept_is_refused_on_the_page(client, ward):
    learner_checklist = ward["opened"][0]
    skill = skills_of(learner_checklist)[0]
    client.force_login(ward["preceptor"])
    response = post_validation(client, learner_checklist, skill, method="simulation")
    assert response.status_code == 400
    assert not SkillValidation.objects.exists()


def test_future_dates_are_refused(ward):
    learner_checklist = ward["opened"][0]
    with pytest.raises(ValidationError, match="future"):
        skill_validation_record(
            learner_checklist=learner_checklist, skill=skills_of(learner_checklist)[0],
            validator=ward["preceptor"], status="validated", method="observation", level=3,
            validated_on=timezone.localdate() + datetime.timedelta(days=1))


def test_opening_twice_gives_the_same_checklist_and_a_completed_one_starts_a_new_cycle(ward):
    nurse, learner_checklist = ward["nurses"][0], ward["opened"][0]
    assert learner_checklist_open(checklist=ward["checklist"], learner=nurse) == \
        learner_checklist
    LearnerChecklist.objects.filter(pk=learner_checklist.pk).update(
        status="completed", completed_on=timezone.localdate())
    assert learner_checklist_open(checklist=ward["checklist"], learner=nurse).cycle == 2


def test_queries_per_validation_are_pinned(client, ward, django_assert_num_queries):
    learner_checklist = ward["opened"][0]
    skills = skills_of(learner_checklist)
    client.force_login(ward["preceptor"])
    post_validation(client, learner_checklist, skills[0])
    # session, user, the learner checklist with the validator's authorisation, the skill,
    # savepoint, lock, previous entry, insert, the two reads of the completion check,
    # savepoint release.
    with django_assert_num_queries(11):
        assert post_validation(client, learner_checklist, skills[1]).status_code == 302
    with django_assert_num_queries(8):
        assert client.get(reverse("checklists:validate",
                                  args=[learner_checklist.pk])).status_code == 200


def test_remediation_sets_a_follow_up_due_date_that_clears_once_observed_again(client, ward,
                                                                              settings):
    settings.CHECKLIST_REMEDIATION_DAYS = 14
    learner_checklist = ward["opened"][2]
    skill = skills_of(learner_checklist)[0]
    week_ago = timezone.localdate() - datetime.timedelta(days=7)
    skill_validation_record(learner_checklist=learner_checklist, skill=skill,
                            validator=ward["preceptor"], status="needs_remediation",
                            method="observation", level=1, validated_on=week_ago)
    learner_checklist.refresh_from_db()
    assert learner_checklist.remediation_due_on == week_ago + datetime.timedelta(days=14)
    client.force_login(ward["nurses"][2])
    page = client.get(reverse("checklists:mine_detail", args=[learner_checklist.pk]))
    assert "observe it again by" in page.content.decode()
    skill_validation_record(learner_checklist=learner_checklist, skill=skill,
                            validator=ward["preceptor"], status="validated",
                            method="observation", level=3)
    learner_checklist.refresh_from_db()
    assert learner_checklist.remediation_due_on is None
