"""Reauthentication before sensitive account changes can use a code emailed to the person's
verified address instead of their password (allauth's code reauthentication)."""
import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_clinician_reauthenticates_with_a_code_sent_to_their_verified_address(client,
                                                                                clinician):
    client.force_login(clinician)
    response = client.post(reverse("account_request_reauthentication_code"),
                           {"recipient": clinician.email})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_confirm_reauthentication_code"))
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [clinician.email]
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[0].body, re.MULTILINE).group(1)

    wrong = client.post(reverse("account_confirm_reauthentication_code"), {"code": "WRONG1"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    right = client.post(reverse("account_confirm_reauthentication_code"), {"code": code})
    assert right.status_code == 302


def test_the_confirm_page_without_a_requested_code_goes_back_to_the_request_page(client,
                                                                                 clinician):
    client.force_login(clinician)
    response = client.get(reverse("account_confirm_reauthentication_code"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_request_reauthentication_code"))
