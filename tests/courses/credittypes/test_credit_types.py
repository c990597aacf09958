"""Credit types as data: seeded with their sources, worded as before, and a type the office adds
in the admin works everywhere without a code change."""
import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses.credit_types import ama_designation_statement, credit_amount_display
from courses.credittypes.models import CreditType, CreditTypeChange, Profession
from courses.credittypes.selectors import credit_type_catalog
from courses.forms import DesignationForm
from courses.models import Course
from courses.services.publishing import designation_save
from credits.boards.models import BoardReport
from credits.certificates.services import certificate_sync
from credits.ledger.claims import credit_claim
from credits.ledger.selectors import claim_status_for
from credits.ledger.transcript import transcript_for
from credits.models import EvaluationResponse
from credits.reports.exporters.pars_learners import pars_completions_queryset
from credits.requirements.selectors import requirement_progress_for
from tests.credits.claim_world import attended_course
from tests.factories import DraftCourseFactory, LicenceFactory, UserFactory

pytestmark = pytest.mark.django_db

JOINT_ACCREDITATION_TYPES = {"ama_pra_1", "ancc", "acpe", "aapa_1", "apa_ce", "aswb_ace",
                             "ada_cerp", "arbo_cope", "boc", "cdr_cpeu", "ipce"}
MOC_BOARDS = {"abim_moc", "aba_moc", "abp_moc", "abpath_moc", "abs_moc", "abo_moc",
              "abohns_moc"}
# The units the portal printed when the types were constants in code (courses/credit_types.py
# before the credit types became data): a stored certificate and a new one must agree.
WORDING_BEFORE = {
    "ama_pra_1": ("AMA PRA Category 1 Credit™", "AMA PRA Category 1 Credits™"),
    "ancc": ("ANCC contact hour", "ANCC contact hours"),
    "acpe": ("ACPE contact hour", "ACPE contact hours"),
    "aapa_1": ("AAPA Category 1 CME credit", "AAPA Category 1 CME credits"),
    "ipce": ("IPCE credit™", "IPCE credits™"),
    "abim_moc": ("ABIM MOC point", "ABIM MOC points"),
    "participation": ("hour of participation", "hours of participation"),
}
CDR_STATEMENT = ("{provider} is an accredited provider with the Commission on Dietetic "
                 "Registration. This activity awards up to {maximum}.")


def test_the_joint_accreditation_types_and_moc_boards_are_seeded_with_sources():
    rows = {row.code: row for row in CreditType.objects.all()}
    assert JOINT_ACCREDITATION_TYPES | MOC_BOARDS | {"participation"} <= set(rows)
    assert all(row.source_url or row.source_note for row in rows.values())
    # Only the types the portal already worded, and those whose wording was found since, are
    # designable; the rest await their wording.
    assert {code for code, row in rows.items() if row.is_active} == set(WORDING_BEFORE) | {
        "abp_moc", "abs_moc", "apa_ce"}
    assert all(row.statement for row in rows.values() if row.is_active)


def test_the_seven_types_print_exactly_as_they_did_in_code():
    for code, (singular, plural) in WORDING_BEFORE.items():
        assert credit_amount_display(Decimal("1.00"), code) == f"1.00 {singular}"
        assert credit_amount_display(Decimal("1.50"), code) == f"1.50 {plural}"
    assert ama_designation_statement(provider="Mercy", course_format="enduring",
                                     maximum=Decimal(1)) == (
        "Mercy designates this enduring material for a maximum of 1.00 AMA PRA Category 1 "
        "Credit™. Physicians should claim only the credit commensurate with the extent of their "
        "participation in the activity.")


def test_a_type_that_is_not_designable_cannot_be_designated(educator):
    course = DraftCourseFactory(directors=[educator])
    with pytest.raises(ValidationError, match="a credit type the CME office offers"):
        designation_save(course=course, editor=educator, credit_type="cdr_cpeu",
                         max_credits=Decimal("1.00"))
    with pytest.raises(ValidationError, match="a credit type the CME office offers"):
        designation_save(course=course, editor=educator, credit_type="made_up",
                         max_credits=Decimal("1.00"))


def _admin_add_cdr_cpeu(client, admin_user) -> CreditType:
    # The office adds the type afresh (the seeded row awaiting its wording makes way).
    CreditType.objects.filter(code="cdr_cpeu").delete()
    client.force_login(admin_user)
    response = client.post(reverse("admin:credittypes_credittype_add"), {
        "name": "CDR CPEUs", "code": "cdr_cpeu",
        "accreditor": "Commission on Dietetic Registration", "is_active": "on",
        "position": "120", "unit_singular": "CDR CPEU", "unit_plural": "CDR CPEUs",
        "statement": CDR_STATEMENT,
        "eligible_professions": [Profession.objects.get(code="dietitian").pk], "step": "0.25",
        "max_per_hour": "", "identifier_label": "", "reported_to": "none",
        "source_url": "https://jointaccreditation.org/about-joint-accreditation",
        "source_note": "Test wording.",
        "changes-TOTAL_FORMS": "0", "changes-INITIAL_FORMS": "0",
        "changes-MIN_NUM_FORMS": "0", "changes-MAX_NUM_FORMS": "1000"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return CreditType.objects.get(code="cdr_cpeu")


def test_cdr_cpeu_added_in_the_admin_works_everywhere_without_a_code_change(
        client, admin_user, educator):
    added = _admin_add_cdr_cpeu(client, admin_user)
    assert CreditTypeChange.objects.get(credit_type=added).changed_by == admin_user

    # Designable: offered on the designation form and accepted by the service.
    assert ("cdr_cpeu", "CDR CPEUs") in DesignationForm().fields["credit_type"].choices
    draft = DraftCourseFactory(directors=[educator])
    designation_save(course=draft, editor=educator, credit_type="cdr_cpeu",
                     max_credits=Decimal("1.50"))

    # Claimable by dietitians only.
    dietitian = UserFactory(profession="dietitian", degree="")
    course = attended_course(dietitian, designations=[("ama_pra_1", "1.50"),
                                                      ("cdr_cpeu", "1.50")])
    assert [o.credit_type for o in claim_status_for(user=dietitian, course=course).options] == [
        "cdr_cpeu"]
    physician = UserFactory(profession="physician")
    attended_course(physician, designations=[("cdr_cpeu", "1.50")])
    physician_course = Course.objects.exclude(pk__in=[draft.pk, course.pk]).get()
    assert [o.credit_type for o in claim_status_for(user=physician,
                                                    course=physician_course).options] == [
        "participation"]
    EvaluationResponse.objects.create(user=dietitian, course=course)
    [record] = credit_claim(user=dietitian, course=course,
                            amounts={"cdr_cpeu": Decimal("1.50")})

    # Printed with its statement on the certificate and the transcript.
    statement = CDR_STATEMENT.format(provider=settings.HOSPITAL_NAME,
                                     maximum="1.50 CDR CPEUs")
    certificate = certificate_sync(user_id=dietitian.pk, course_id=course.pk)
    assert certificate.credits[0]["wording"] == "CDR CPEUs"
    assert certificate.credit_statement == statement
    [row] = transcript_for(user=dietitian).records
    assert row.designation_statement == statement
    client.force_login(dietitian)
    assert statement in client.get(reverse("ledger:transcript")).content.decode()

    # Reported nowhere: not to PARS, CPE Monitor or a board.
    assert credit_type_catalog()["cdr_cpeu"].reported_to == "none"
    assert not BoardReport.objects.filter(credit_record=record).exists()
    assert not pars_completions_queryset({}).filter(user=dietitian).exists()

    # A dietitians' licence rule added in the admin: the dietitian sees the right progress.
    client.force_login(admin_user)
    response = client.post(reverse("admin:credits_requirementset_add"), {
        "name": "Massachusetts dietitian licence renewal", "state": "MA",
        "profession": "dietitian", "effective_from": "2020-01-01", "is_active": "on",
        "cycle_months": "24", "cycle_anchor": "licence_expiry", "total_credits": "30",
        "live_minimum": "0", "carry_over_maximum": "0", "accepted_credit_types": ["cdr_cpeu"],
        "source_note": "Test rule.", "source_url": "", "source_read_on": "",
        **{f"{prefix}-{name}": value for prefix in ("topic_requirements", "changes")
           for name, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"),
                               ("MIN_NUM_FORMS", "0"), ("MAX_NUM_FORMS", "1000"))}})
    assert response.status_code == 302, response.content.decode()[:3000]
    LicenceFactory(user=dietitian, state="MA", profession="dietitian",
                   expires_on=record.completed_on + datetime.timedelta(days=300))
    [progress] = requirement_progress_for(user=dietitian)
    assert (progress.total.earned, progress.total.required) == (Decimal("1.50"), 30)
    client.force_login(dietitian)
    page = client.get(reverse("requirements:progress")).content.decode()
    assert "Massachusetts dietitian licence renewal" in page and "1.5 of 30 credits" in page


def test_saving_a_type_in_the_admin_keeps_its_history(client, admin_user):
    ipce = CreditType.objects.get(code="ipce")
    client.force_login(admin_user)
    url = reverse("admin:credittypes_credittype_change", args=[ipce.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:credittypes_credittype_changelist")).status_code == 200
    data = {field: getattr(ipce, field) for field in (
        "name", "accreditor", "position", "unit_singular", "unit_plural", "statement", "step",
        "identifier_label", "reported_to", "source_url", "source_note")}
    data |= {"is_active": "on", "open_to_whole_team": "on", "max_per_hour": "",
             "formats": ["live", "rss"], "changes-TOTAL_FORMS": "0",
             "changes-INITIAL_FORMS": "0", "changes-MIN_NUM_FORMS": "0",
             "changes-MAX_NUM_FORMS": "1000"}
    assert client.post(url, data).status_code == 302
    change = CreditTypeChange.objects.get(credit_type=ipce)
    assert change.values["formats"] == ["live", "rss"] and change.changed_by == admin_user


def test_a_type_limited_to_formats_is_refused_on_another_format(educator):
    CreditType.objects.filter(code="ipce").update(formats=["live"])
    course = DraftCourseFactory(directors=[educator], format="enduring",
                                release_date=datetime.date(2026, 1, 1))
    with pytest.raises(ValidationError, match="cannot be designated for a online"):
        designation_save(course=course, editor=educator, credit_type="ipce",
                         max_credits=Decimal("1.00"))
