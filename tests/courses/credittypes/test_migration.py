"""The data migration that made credit types rows: every stored amount and type is kept, and a
code found on stored credit that the reference does not know gets a row (not designable)."""
import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from courses.credittypes.models import CreditType, Profession
from courses.credittypes.selectors import credit_type_info
from courses.models import CreditDesignation
from credits.models import CreditRecord
from tests.factories import CreditDesignationFactory, CreditRecordFactory

pytestmark = pytest.mark.django_db

seed = importlib.import_module("courses.credittypes.migrations.0002_seed_reference_credit_types")


def _ledger() -> list[tuple]:
    return sorted(CreditRecord.objects.values_list("pk", "credit_type", "amount", "status"))


def test_the_migration_keeps_every_amount_and_gives_unknown_codes_a_row():
    CreditRecordFactory(credit_type="ama_pra_1", amount=Decimal("1.50"))
    CreditRecordFactory(credit_type="ancc", amount=Decimal("2.25"))
    CreditRecordFactory(credit_type="state_cme", amount=Decimal("3.00"))  # unknown to the seed
    CreditDesignationFactory(credit_type="acpe", acpe_uan="0197-0000-26-014-L01-P")
    before = _ledger(), sorted(CreditDesignation.objects.values_list("pk", "credit_type",
                                                                      "max_credits"))
    CreditType.objects.all().delete()  # as before the migration

    seed.forwards(apps, schema_editor=None)

    assert before == (_ledger(), sorted(CreditDesignation.objects.values_list(
        "pk", "credit_type", "max_credits")))
    stand_in = CreditType.objects.get(code="state_cme")
    assert not stand_in.is_active and stand_in.name == "state_cme"
    assert CreditType.objects.filter(code="ama_pra_1", is_active=True).exists()


def test_running_it_again_changes_nothing_the_office_edited():
    CreditType.objects.filter(code="ancc").update(unit_plural="ANCC contact hours (NCPD)")
    seed.forwards(apps, schema_editor=None)
    assert CreditType.objects.get(code="ancc").unit_plural == "ANCC contact hours (NCPD)"
    assert CreditType.objects.filter(code="ancc").count() == 1


def test_the_history_of_a_type_cannot_be_rewritten(admin_user):
    from django.db import IntegrityError, transaction

    from courses.credittypes.models import CreditTypeChange
    from courses.credittypes.services import credit_type_save

    credit_type_save(credit_type=CreditType.objects.get(code="ipce"), editor=admin_user)
    change = CreditTypeChange.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditTypeChange.objects.filter(pk=change.pk).update(values={})
    with pytest.raises(IntegrityError), transaction.atomic():
        change.delete()



def test_professions_become_rows_and_each_type_keeps_who_may_claim_it():
    """Migration 0004 run backward then forward inside the test's transaction (PostgreSQL's
    DDL is transactional, so the rollback restores the schema): the codes each type listed, one
    no profile offers included, become the relation unchanged."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before_rows = ("credittypes", "0003_credit_type_history_kept")
    executor = MigrationExecutor(connection)
    # Forward to the app's newest migration: the rows are then read with today's models.
    latest, = executor.loader.graph.leaf_nodes("credittypes")
    executor.migrate([before_rows])
    old_credit_type = executor.loader.project_state([before_rows]).apps.get_model(
        "credittypes", "CreditType")
    old_credit_type.objects.filter(code="ancc").update(eligible_professions=["nurse", "midwife"])
    before = {code: set(codes) for code, codes in
              old_credit_type.objects.values_list("code", "eligible_professions")}

    executor = MigrationExecutor(connection)
    executor.migrate([latest])

    after = {credit_type.code: {p.code for p in credit_type.eligible_professions.all()}
             for credit_type in CreditType.objects.prefetch_related("eligible_professions")}
    assert after == before and after["ancc"] == {"nurse", "midwife"}
    assert Profession.objects.get(code="midwife").name == "midwife"  # a row, not a lost claim
    assert Profession.objects.get(code="dietitian").credit_types.get().code == "cdr_cpeu"


wording = importlib.import_module("courses.credittypes.migrations.0007_worded_since_seeding")
ABP_STATEMENT = ("Successful completion of this CME activity, which includes participation in "
                 "the evaluation component, enables the learner to earn up to {maximum} in the "
                 "American Board of Pediatrics' (ABP) Maintenance of Certification (MOC) "
                 "program. It is the CME activity provider's responsibility to submit learner "
                 "completion information to ACCME for the purpose of granting ABP MOC credit.")


def test_a_type_seeded_without_wording_gets_it_while_the_office_has_not_touched_it():
    CreditType.objects.filter(code="abp_moc").update(  # as seeded before the wording was found
        statement="", is_active=False, source_url="http://www.accme.org/cme-support-moc")
    wording.wording_for_untouched_rows(apps, schema_editor=None)
    abp = CreditType.objects.get(code="abp_moc")
    assert (abp.statement, abp.is_active) == (ABP_STATEMENT, True)
    assert abp.source_url == "https://cce.upmc.com/content/american-board-pediatrics-abp"
    assert "American Board of Pediatrics (ABP)" in abp.source_note


@pytest.mark.parametrize("edit", [
    {"statement": "Our office's own ABP wording: up to {maximum}.", "is_active": False},
    {"statement": "", "is_active": True},  # ticked designable in the admin (a form refuses it)
])
def test_a_type_the_office_edited_keeps_its_edits(edit):
    CreditType.objects.filter(code="abp_moc").update(source_note="Edited.", **edit)
    wording.wording_for_untouched_rows(apps, schema_editor=None)
    abp = CreditType.objects.get(code="abp_moc")
    assert (abp.statement, abp.is_active, abp.source_note) == (
        edit["statement"], edit["is_active"], "Edited.")


worded_later = importlib.import_module("courses.credittypes.migrations.0008_apa_and_abs_worded")
APA_STATEMENT = ("Mercy General is approved by the American Psychological Association to sponsor "
                 "continuing education for psychologists. Mercy General maintains "
                 "responsibility for this program and its content.")
ABS_STATEMENT = ("Successful completion of this CME activity enables the learner to earn credit "
                 "toward the CME requirements of the American Board of Surgery's Continuous "
                 "Certification program. It is the CME activity provider's responsibility to "
                 "submit learner completion information to ACCME for the purpose of granting "
                 "ABS credit.")
AS_FIRST_SEEDED = {"statement": "", "is_active": False, "source_url": "", "source_note": ""}


@pytest.mark.parametrize(("code", "printed", "source_url", "cited"), [
    ("apa_ce", APA_STATEMENT, "http://www.apa.org/ed/sponsor/about/faq/index.aspx",
     "FAQs for Applicants and Approved CE Sponsors"),
    ("abs_moc", ABS_STATEMENT, "https://cce.upmc.com/ABS",
     "UPMC Center for Continuing Education in the Health Sciences"),
])
def test_apa_and_abs_get_their_wording_while_the_office_has_not_touched_them(
        code, printed, source_url, cited):
    CreditType.objects.filter(code=code).update(**AS_FIRST_SEEDED)
    worded_later.wording_for_untouched_rows(apps, schema_editor=None)
    row = CreditType.objects.get(code=code)
    info = credit_type_info(code)
    assert row.is_active and row.source_url == source_url and cited in row.source_note
    assert info.statement_for(provider="Mercy General", course_format="live",
                              maximum=Decimal("2.00")) == printed


@pytest.mark.parametrize("code", ["apa_ce", "abs_moc"])
@pytest.mark.parametrize("edit", [
    {"statement": "Our office's own wording for up to {maximum}.", "is_active": False},
    {"statement": "", "is_active": True},  # ticked designable in the admin (a form refuses it)
])
def test_apa_and_abs_rows_the_office_edited_keep_their_edits(code, edit):
    CreditType.objects.filter(code=code).update(**{**AS_FIRST_SEEDED, **edit,
                                                   "source_note": "Edited."})
    worded_later.wording_for_untouched_rows(apps, schema_editor=None)
    row = CreditType.objects.get(code=code)
    assert (row.statement, row.is_active, row.source_url, row.source_note) == (
        edit["statement"], edit["is_active"], "", "Edited.")


def test_the_types_still_unworded_stay_undesignable():
    worded_later.wording_for_untouched_rows(apps, schema_editor=None)
    unworded = CreditType.objects.filter(code__in=[
        "aswb_ace", "ada_cerp", "arbo_cope", "boc", "cdr_cpeu", "aba_moc", "abpath_moc",
        "abo_moc", "abohns_moc"])
    assert unworded.count() == 9
    assert not unworded.filter(is_active=True).exists()
    assert not unworded.exclude(statement="").exists()
