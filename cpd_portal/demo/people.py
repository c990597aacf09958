"""The demo's people: four logins (the published password below is for local demos only) and
forty colleagues without a password, whose year of history fills the CME office's dashboard.

Accounts are made as the portal makes them (the user manager, an address already confirmed,
roles through `user_role_grant`); profiles and licences go through the profile page's forms,
so they hold what a person could have typed there.
"""
import datetime
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict

from accounts.forms import LicenceForm, ProfileForm
from accounts.models import Licence, User
from accounts.roles import Role
from accounts.services import user_role_grant

from .context import Demo, Plan, PlannedAccount

DEMO_PASSWORD = "cpd-demo-2026"
COLLEAGUE_DOMAIN = "staff.example.net"


@dataclass(frozen=True)
class LicencePlan:
    state: str
    profession: str
    number: str
    expires_on: datetime.date


@dataclass(frozen=True)
class Person:
    email: str
    role: str
    profile: dict
    licences: tuple[LicencePlan, ...] = ()
    label: str = ""  # the key in Demo.people when it differs from the role
    signs_in: bool = True
    joined_days_ago: int = 400

    @property
    def full_name(self) -> str:
        return self.profile["full_name"]


LOGINS = (
    Person(email="clinician@example.org", role=Role.CLINICIAN, profile={
        "full_name": "Priya Raman", "degree": "MD", "profession": "physician",
        "specialty": "Hospital medicine", "npi": "1234567893", "certifying_board": "ABIM",
        "board_id": "318422", "birth_month": 4, "birth_day": 12,
        "consents_to_credit_reporting": True},
        licences=(LicencePlan("MA", "physician", "271834", datetime.date(2027, 3, 14)),)),
    Person(email="educator@example.org", role=Role.EDUCATOR, profile={
        "full_name": "Marcus Lee", "degree": "RN", "profession": "nurse",
        "specialty": "Nursing education"}),
    Person(email="pharmacist@example.org", role=Role.CLINICIAN, label="Pharmacist", profile={
        "full_name": "Ana Costa", "degree": "PharmD", "profession": "pharmacist",
        "specialty": "Clinical pharmacy", "nabp_eprofile_id": "4218733", "birth_month": 9,
        "birth_day": 23}),
    Person(email="admin@example.org", role=Role.ADMINISTRATOR, profile={
        "full_name": "Dana Whitfield", "degree": "Other", "profession": "other",
        "specialty": "CME office"}),
)

# name, degree, profession, specialty, holds a Massachusetts physician licence
_COLLEAGUES = [
    ("Jordan Ellis", "RN", "nurse", "Critical care", False),
    ("Laila Rahman", "PharmD", "pharmacist", "Clinical pharmacy", False),
    ("Sam Okafor", "MD", "physician", "Cardiology", True),
    ("Grace Liu", "MD", "physician", "Hospital medicine", True),
    ("Daniel Brennan", "MD", "physician", "Emergency medicine", True),
    ("Fatima Haddad", "DO", "physician", "Internal medicine", True),
    ("Miguel Alvarez", "MD", "physician", "Cardiology", True),
    ("Hannah Goldberg", "MD", "physician", "Hospital medicine", True),
    ("Kwame Mensah", "MD", "physician", "Critical care", True),
    ("Olivia Byrne", "MD", "physician", "Internal medicine", True),
    ("Ravi Iyer", "MD", "physician", "Emergency medicine", True),
    ("Elena Petrova", "MD", "physician", "Hospital medicine", True),
    ("Thomas Whelan", "MD", "physician", "Internal medicine", True),
    ("Aisha Bello", "MD", "physician", "Critical care", True),
    ("Nora Sullivan", "RN", "nurse", "Critical care", False),
    ("Luis Romero", "RN", "nurse", "Emergency nursing", False),
    ("Chloe Martin", "RN", "nurse", "Medical-surgical nursing", False),
    ("Isaac Cohen", "RN", "nurse", "Critical care", False),
    ("Mei Tanaka", "RN", "nurse", "Oncology nursing", False),
    ("Samuel Greene", "RN", "nurse", "Medical-surgical nursing", False),
    ("Priscilla Adams", "RN", "nurse", "Emergency nursing", False),
    ("Victor Nguyen", "RN", "nurse", "Critical care", False),
    ("Rachel Kim", "NP", "nurse", "Hospital medicine", False),
    ("Ben Foster", "RN", "nurse", "Medical-surgical nursing", False),
    ("Peter Novak", "PharmD", "pharmacist", "Oncology pharmacy", False),
    ("Julia Santos", "PharmD", "pharmacist", "Clinical pharmacy", False),
    ("Owen Price", "PA-C", "physician_assistant", "Emergency medicine", False),
    ("Maya Patel", "PA-C", "physician_assistant", "Hospital medicine", False),
    ("Ethan Ross", "PA-C", "physician_assistant", "Cardiology", False),
    ("Zoe Clarke", "RN", "nurse", "Critical care", False),
    ("Adam Fischer", "MD", "physician", "Anesthesiology", True),
    ("Sofia Moretti", "MD", "physician", "Emergency medicine", True),
    ("Henry Wallace", "MD", "physician", "Internal medicine", True),
    ("Amara Okeke", "RN", "nurse", "Oncology nursing", False),
    ("Lucas Weber", "RN", "nurse", "Emergency nursing", False),
    ("Ivy Chen", "MD", "physician", "Hospital medicine", True),
    ("Noah Schwartz", "MD", "physician", "Cardiology", True),
    ("Esther Mwangi", "RN", "nurse", "Medical-surgical nursing", False),
    ("Carlos Mendes", "MD", "physician", "Critical care", True),
    ("Wendy Park", "RN", "nurse", "Oncology nursing", False),
]


def colleague(index: int, name: str, degree: str, profession: str, specialty: str,
              ma_licence: bool, *, joined_days_ago: int = 400) -> Person:
    """A colleague without a password (their email at the hospital's staff domain); a
    physician with a Massachusetts licence renews it on a date spread over the coming year."""
    licences = (LicencePlan("MA", "physician", f"2{index:05d}",
                            datetime.date(2027, 1 + index % 12, 1 + index % 27)),
                ) if ma_licence else ()
    return Person(email=name.lower().replace(" ", ".") + "@" + COLLEAGUE_DOMAIN,
                  role=Role.CLINICIAN, signs_in=False, joined_days_ago=joined_days_ago,
                  profile={"full_name": name, "degree": degree, "profession": profession,
                           "specialty": specialty}, licences=licences)


COLLEAGUES = tuple(colleague(index, *row) for index, row in enumerate(_COLLEAGUES))


def plan(demo: Demo) -> Plan:
    return Plan(accounts=tuple(PlannedAccount(person.email, person.full_name, person.role,
                                              person.signs_in)
                               for person in LOGINS + COLLEAGUES))


def person_ensure(demo: Demo, person: Person) -> User:
    """The account, its confirmed address, roles, profile and licences."""
    user = User.objects.filter(email=person.email).first()
    if user is None:
        user = User.objects.create_user(
            email=person.email, password=DEMO_PASSWORD if person.signs_in else None,
            full_name=person.full_name, date_joined=demo.ago(days=person.joined_days_ago))
    EmailAddress.objects.get_or_create(user=user, email=user.email,
                                       defaults={"verified": True, "primary": True})
    # Everyone learns: each login is a clinician too (as the CME office sets staff up).
    for role in dict.fromkeys((Role.CLINICIAN, person.role)):
        user_role_grant(user=user, role=role)
    _profile_saved(user, person.profile)
    for licence in person.licences:
        _licence_saved(user, licence)
    return user


def _profile_saved(user: User, profile: dict) -> None:
    data = {key: value for key, value in model_to_dict(user, fields=ProfileForm.Meta.fields)
            .items() if value is not None} | profile
    form = ProfileForm(data=data, instance=user)
    if not form.is_valid():
        raise ValidationError(f"Demo profile of {user.email}: {form.errors.as_text()}")
    if form.has_changed():
        form.save()


def _licence_saved(user: User, plan: LicencePlan) -> None:
    if Licence.objects.filter(user=user, state=plan.state, profession=plan.profession).exists():
        return
    form = LicenceForm(data={"state": plan.state, "profession": plan.profession,
                             "number": plan.number, "expires_on": plan.expires_on}, user=user)
    if not form.is_valid():
        raise ValidationError(f"Demo licence of {user.email}: {form.errors.as_text()}")
    licence = form.save(commit=False)
    licence.user = user
    licence.save()


def seed(demo: Demo) -> None:
    for person in LOGINS:
        demo.people[person.label or person.role] = person_ensure(demo, person)
    demo.colleagues = [person_ensure(demo, person) for person in COLLEAGUES]
