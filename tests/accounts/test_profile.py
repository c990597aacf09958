import re

import pytest
from django.urls import reverse

from accounts.models import Licence
from tests.factories import LicenceFactory

pytestmark = pytest.mark.django_db


def _profile_data(**overrides):
    data = {"full_name": "Priya Raman", "degree": "MD", "profession": "physician",
            "specialty": "Hospital medicine", "npi": "1234567893", "certifying_board": "ABIM",
            "board_id": "318422", "nabp_eprofile_id": "", "birth_month": "4", "birth_day": "12",
            "time_zone": "America/Chicago", "consents_to_credit_reporting": "on"}
    data.update(overrides)
    return data


def test_clinician_saves_a_complete_profile(client, clinician):
    client.force_login(clinician)
    response = client.post(reverse("accounts:profile"), _profile_data())
    assert response.status_code == 302
    clinician.refresh_from_db()
    assert (clinician.npi, clinician.birth_month, clinician.birth_day) == ("1234567893", 4, 12)
    assert clinician.time_zone == "America/Chicago"
    assert clinician.consents_to_credit_reporting is True


def test_bad_npi_and_impossible_birthday_are_reported_beside_the_fields_and_nothing_saved(
        client, clinician):
    client.force_login(clinician)
    response = client.post(reverse("accounts:profile"),
                           _profile_data(npi="1234567890", birth_month="2", birth_day="30"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "check digit" in form.errors["npi"][0]
    assert "do not exist" in form.errors["birth_day"][0]
    assert b"Please correct 2 problems below" in response.content
    clinician.refresh_from_db()
    assert clinician.npi == ""


def test_pharmacist_reporting_credit_needs_an_nabp_eprofile_id(client, clinician):
    client.force_login(clinician)
    response = client.post(reverse("accounts:profile"),
                           _profile_data(profession="pharmacist", degree="PharmD", npi=""))
    assert "NABP e-Profile ID" in response.context["form"].errors["nabp_eprofile_id"][0]


def test_clinician_adds_a_licence_and_a_duplicate_state_is_refused(client, clinician):
    client.force_login(clinician)
    data = {"state": "MA", "profession": "physician", "number": " 271834 ",
            "expires_on": "2027-03-14"}
    assert client.post(reverse("accounts:licence_add"), data).status_code == 302
    licence = Licence.objects.get(user=clinician)
    assert licence.number == "271834"
    response = client.post(reverse("accounts:licence_add"), {**data, "number": "999"})
    assert response.status_code == 200
    assert "already have a licence" in str(response.context["form"].non_field_errors())
    assert Licence.objects.filter(user=clinician).count() == 1


def test_a_clinician_cannot_see_or_delete_another_clinicians_licence(client, clinician,
                                                                     other_clinician):
    licence = LicenceFactory(user=other_clinician)
    client.force_login(clinician)
    assert client.get(reverse("accounts:licence_edit", args=[licence.pk])).status_code == 404
    assert client.post(reverse("accounts:licence_delete", args=[licence.pk])).status_code == 404
    assert Licence.objects.filter(pk=licence.pk).exists()


def test_personal_fields_name_their_purpose_for_autofill_and_assistive_technology(client,
                                                                                   clinician):
    """WCAG 1.3.5: the learner's own name and birthday carry their autocomplete tokens."""
    signup = client.get(reverse("account_signup")).content.decode()
    client.force_login(clinician)
    profile = client.get(reverse("accounts:profile")).content.decode()
    for page, field, token in [(signup, "full_name", "name"), (profile, "full_name", "name"),
                               (profile, "birth_month", "bday-month"),
                               (profile, "birth_day", "bday-day")]:
        tag = re.search(rf'<(?:input|select)[^>]*name="{field}"[^>]*>', page).group(0)
        assert f'autocomplete="{token}"' in tag, tag
