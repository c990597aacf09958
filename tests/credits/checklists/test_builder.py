"""The educator's checklist builder: an outline becomes sections and skills, each save a new
version, and validators are authorised per checklist and unit."""
import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.urls import reverse

from credits.checklists.models import Checklist, Skill, Validator
from credits.checklists.outline import outline_parse
from tests.credits.checklists.helpers import make_unit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OUTLINE = """Section: Central venous access
Skill: Central-line dressing change | observation, return demonstration
- Performs hand hygiene; dons mask and sterile gloves
- Scrubs the site with chlorhexidine for 30 seconds and lets it dry
Section: Blood administration
Skill: Two-person bedside verification | observation, verbal
- Checks the patient's two identifiers against the product label and order
"""


def form_data(**changes):
    return {"title": "Annual nursing competencies 2027", "description": "", "outline": OUTLINE,
            "rating_scale": "Needs assistance\nIndependent", "expires_after_months": 12,
            "credit_type": "ancc", "hours": "2.00",
            "resources": "Policy NUR-214 Central line care | https://policies.example/nur-214",
            **changes}


def test_an_educator_builds_a_checklist_and_each_save_is_a_new_version(client, educator):
    client.force_login(educator)
    response = client.post(reverse("checklists:builder_new"), form_data())
    checklist = Checklist.objects.get()
    assert response["Location"] == reverse("checklists:builder_detail", args=[checklist.pk])
    version = checklist.versions.get()
    assert [s.title for s in version.sections.all()] == ["Central venous access",
                                                          "Blood administration"]
    dressing = Skill.objects.get(title="Central-line dressing change")
    assert dressing.methods == ["observation", "return_demonstration"]
    assert len(dressing.critical_steps) == 2
    assert version.resources.get().url == "https://policies.example/nur-214"

    client.post(reverse("checklists:builder_detail", args=[checklist.pk]),
                form_data(outline=OUTLINE + "Skill: Transfusion reaction response | simulation"))
    assert list(checklist.versions.values_list("number", flat=True)) == [2, 1]
    assert Skill.objects.filter(section__version__number=2).count() == 3


def test_an_outline_it_cannot_read_is_shown_back_with_the_line(client, educator):
    client.force_login(educator)
    response = client.post(reverse("checklists:builder_new"),
                           form_data(outline="Skill: before any section"))
    assert response.status_code == 200
    assert "Line 1" in response.content.decode()
    assert not Checklist.objects.exists()


@pytest.mark.parametrize(("outline", "message"), [
    ("Section: A\nSkill: B | palpation", "not a validation method"),
    ("Section: A", "at least one skill"),
    ("Section: A\n- a step", "belongs under"),
    ("Section: A\nSkill: B\nSection: C", "has no skills"),
])
def test_outline_errors_name_the_problem(outline, message):
    with pytest.raises(ValidationError, match=message):
        outline_parse(outline)


def test_the_office_authorises_a_validator_for_one_unit(client, admin_user, educator):
    client.force_login(educator)
    client.post(reverse("checklists:builder_new"), form_data())
    checklist = Checklist.objects.get()
    preceptor = UserFactory(email="grace@hospital.example")
    unit = make_unit("4 West Medical-Surgical", preceptor)
    client.force_login(admin_user)
    for _ in range(2):  # a double click authorises once
        client.post(reverse("checklists:builder_validator_add", args=[checklist.pk]),
                    {"email": "Grace@hospital.example", "unit": unit.pk})
    validator = Validator.objects.get()
    assert (validator.user, validator.unit, validator.authorised_by) == (preceptor, unit,
                                                                         admin_user)


def test_an_educator_sees_only_the_checklists_they_built(client, educator):
    client.force_login(educator)
    client.post(reverse("checklists:builder_new"), form_data())
    other = UserFactory(roles=["Educator"])
    Authenticator.objects.create(user=other, type=Authenticator.Type.TOTP,
                                 data={"secret": "JBSWY3DPEHPK3PXP"})
    checklist = Checklist.objects.get()
    client.force_login(other)
    assert client.get(reverse("checklists:builder_detail", args=[checklist.pk])).status_code \
        == 404
