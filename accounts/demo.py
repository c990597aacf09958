"""Demo accounts for `manage.py seed_demo`; the password is for local demos only."""
import datetime

from allauth.account.models import EmailAddress

from .models import Licence, User
from .roles import Role
from .services import user_role_grant

DEMO_PASSWORD = "cpd-demo-2026"

DEMO_PEOPLE = [
    {
        "email": "clinician@example.org", "role": Role.CLINICIAN,
        "fields": {"full_name": "Priya Raman", "degree": "MD", "profession": "physician",
                   "specialty": "Hospital medicine", "npi": "1234567893",
                   "certifying_board": "ABIM", "board_id": "318422", "birth_month": 4,
                   "birth_day": 12, "consents_to_credit_reporting": True},
        "licences": [{"state": "MA", "profession": "physician", "number": "271834",
                      "expires_on": datetime.date(2027, 3, 14)}],
    },
    {
        "email": "educator@example.org", "role": Role.EDUCATOR,
        "fields": {"full_name": "Marcus Lee", "degree": "RN", "profession": "nurse",
                   "specialty": "Nursing education"},
        "licences": [],
    },
    {
        "email": "pharmacist@example.org", "role": Role.CLINICIAN, "label": "Pharmacist",
        "fields": {"full_name": "Ana Costa", "degree": "PharmD", "profession": "pharmacist",
                   "specialty": "Clinical pharmacy", "nabp_eprofile_id": "4218733",
                   "birth_month": 9, "birth_day": 23},
        "licences": [],
    },
    {
        "email": "admin@example.org", "role": Role.ADMINISTRATOR,
        "fields": {"full_name": "Dana Whitfield", "degree": "Other", "profession": "other",
                   "specialty": "CME office"},
        "licences": [],
    },
]


def seed_accounts() -> dict[str, User]:
    people = {}
    for person in DEMO_PEOPLE:
        user, created = User.objects.update_or_create(email=person["email"],
                                                      defaults=person["fields"])
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True})
        user_role_grant(user=user, role=Role.CLINICIAN)
        user_role_grant(user=user, role=person["role"])
        for licence in person["licences"]:
            Licence.objects.update_or_create(
                user=user, state=licence["state"], profession=licence["profession"],
                defaults={"number": licence["number"], "expires_on": licence["expires_on"]})
        people[person.get("label", person["role"])] = user
    return people
