"""A unit manager's readiness matrix: people × checklists with valid, due soon, overdue and
remediation, exported as CSV or XLSX and as a PDF per person; a manager sees only their units."""
import datetime
import io
import subprocess

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from credits.checklists.models import LearnerChecklist, Skill
from credits.checklists.services import learner_checklist_open, skill_validation_record
from tests.credits.checklists.helpers import authorise, make_checklist, make_unit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def validate_all(learner_checklist, validator, *, days_ago: int, remediate_last=False):
    skills = list(Skill.objects.filter(section__version=learner_checklist.version)
                  .order_by("section__position", "position"))
    for index, skill in enumerate(skills):
        last = index == len(skills) - 1
        skill_validation_record(
            learner_checklist=learner_checklist, skill=skill, validator=validator,
            status="needs_remediation" if (remediate_last and last) else "validated",
            method="observation", level=3,
            validated_on=timezone.localdate() - datetime.timedelta(days=days_ago))


@pytest.fixture
def unit_world():
    manager = UserFactory(full_name="Nora Sullivan")
    preceptor = UserFactory(full_name="Grace Okafor")
    names = ["Amelia Chen", "Luis Navarro", "Hannah Brooks", "Omar Haddad", "Ruth Kim"]
    nurses = {name: UserFactory(full_name=name) for name in names}
    unit = make_unit("Medical Intensive Care Unit", *nurses.values(), managers=[manager])
    checklist = make_checklist(skills=4)
    authorise(checklist, preceptor, unit)
    # Valid (this month), due soon (350 days ago), overdue (400 days ago), remediation,
    # and Ruth not started.
    for name, days_ago in (("Amelia Chen", 10), ("Luis Navarro", 350), ("Omar Haddad", 400)):
        validate_all(learner_checklist_open(checklist=checklist, learner=nurses[name]),
                     preceptor, days_ago=days_ago)
    validate_all(learner_checklist_open(checklist=checklist, learner=nurses["Hannah Brooks"]),
                 preceptor, days_ago=1, remediate_last=True)
    return {"manager": manager, "unit": unit, "nurses": nurses, "checklist": checklist}


def test_the_manager_sees_each_state_of_their_unit(client, unit_world,
                                                   django_assert_num_queries):
    client.force_login(unit_world["manager"])
    url = reverse("checklists:unit_readiness", args=[unit_world["unit"].pk])
    # session, user, the user's roles (office or not), the unit, members, checklists, learner
    # checklists, open checklists' validations: the same for any number of people.
    with django_assert_num_queries(8):
        response = client.get(url)
    matrix = response.context["matrix"]
    states = {row.person.full_name: row.cells[0].state for row in matrix.rows}
    assert states == {"Amelia Chen": "valid", "Luis Navarro": "due_soon",
                      "Omar Haddad": "overdue", "Hannah Brooks": "remediation",
                      "Ruth Kim": "not_started"}
    assert "Nora Sullivan" not in states  # the manager is not one of the people counted
    hannah = next(row for row in matrix.rows if row.person.full_name == "Hannah Brooks")
    assert hannah.cells[0].remediation_due_on is not None
    assert "follow-up due" in response.content.decode()


def test_the_matrix_exports_as_csv_and_xlsx(client, unit_world):
    client.force_login(unit_world["manager"])
    pk = unit_world["unit"].pk
    csv = client.get(reverse("checklists:unit_readiness_download", args=[pk, "csv"]))
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Learner name,Email,Annual nursing competencies 2027: status")
    assert any(line.startswith("Omar Haddad,") and ",Overdue," in line for line in lines)
    xlsx = client.get(reverse("checklists:unit_readiness_download", args=[pk, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Valid", "Remediation", "Due soon", "Overdue", "Not started"]


def test_the_pdf_per_person_lists_their_validated_skills(client, unit_world, tmp_path):
    client.force_login(unit_world["manager"])
    amelia = unit_world["nurses"]["Amelia Chen"]
    response = client.get(reverse("checklists:unit_person_pdf",
                                  args=[unit_world["unit"].pk, amelia.pk]))
    path = tmp_path / "amelia.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Competency record: " in text and "Amelia Chen" in text
    assert "Medical Intensive Care Unit" in text
    assert text.count("Grace Okafor") == 4


def test_a_manager_of_another_unit_and_a_member_reach_nothing(client, unit_world):
    other_manager = UserFactory()
    make_unit("Emergency Department", managers=[other_manager])
    unit, amelia = unit_world["unit"], unit_world["nurses"]["Amelia Chen"]
    urls = [reverse("checklists:unit_readiness", args=[unit.pk]),
            reverse("checklists:unit_readiness_download", args=[unit.pk, "csv"]),
            reverse("checklists:unit_person_pdf", args=[unit.pk, amelia.pk])]
    for person in (other_manager, amelia):
        client.force_login(person)
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    client.force_login(unit_world["manager"])
    outsider = UserFactory()
    assert client.get(reverse("checklists:unit_person_pdf",
                              args=[unit.pk, outsider.pk])).status_code == 404


def test_a_new_cycle_after_expiry_shows_in_progress_history_kept(unit_world):
    from credits.checklists.readiness import readiness_matrix

    omar = unit_world["nurses"]["Omar Haddad"]
    learner_checklist_open(checklist=unit_world["checklist"], learner=omar)
    matrix = readiness_matrix(unit=unit_world["unit"], today=timezone.localdate())
    cell = next(row.cells[0] for row in matrix.rows if row.person == omar)
    assert cell.state == "overdue"  # still overdue until the new cycle completes
    assert LearnerChecklist.objects.filter(learner=omar).count() == 2
