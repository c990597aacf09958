"""Pharmacists with claimed ACPE credit (and a physician with MOC points) for the board tests."""
import datetime
from decimal import Decimal

from courses.credit_types import CreditType
from courses.models import CreditDesignation
from credits.ledger.models import CreditRecord
from credits.ledger.services import credit_record_create
from tests.credits.claim_world import attended_course
from tests.factories import UserFactory

UAN = "0197-0000-26-014-L01-P"
EPROFILE = "1234567"
BIRTH = (4, 17)  # 17 April: "04-17"


def pharmacist(**fields):
    defaults = {"full_name": "Ana Costa", "email": "ana@hospital.example", "degree": "PharmD",
                "profession": "pharmacist", "nabp_eprofile_id": EPROFILE,
                "birth_month": BIRTH[0], "birth_day": BIRTH[1]}
    return UserFactory(**{**defaults, **fields})


def acpe_course(user, *, uan: str = UAN, days_ago: int = 2, title="Anticoagulation update",
                **course_fields):
    course = attended_course(user, designations=(("acpe", "1.00"),), days_ago=days_ago,
                             title=title, target_professions=["pharmacist"], **course_fields)
    CreditDesignation.objects.filter(course=course).update(acpe_uan=uan)
    return course


def acpe_claim(user, course, *, completed_on=None) -> CreditRecord:
    """What a claim records (credit_claim's write), committed by the caller's test."""
    completed_on = completed_on or course.sessions.get().starts_at.date()
    return credit_record_create(user=user, course=course, credit_type=CreditType.ACPE,
                                amount=Decimal("1.00"), completed_on=completed_on,
                                source=CreditRecord.Source.CLAIM, actor=user)


def moc_claim(user, *, days_ago: int = 2, title="Heart failure grand rounds") -> CreditRecord:
    course = attended_course(user, designations=(("abim_moc", "1.00"),), days_ago=days_ago,
                             title=title)
    completed_on = datetime.date.today() - datetime.timedelta(days=days_ago)
    return credit_record_create(user=user, course=course, credit_type=CreditType.ABIM_MOC,
                                amount=Decimal("1.00"), completed_on=completed_on,
                                source=CreditRecord.Source.CLAIM, actor=user)
