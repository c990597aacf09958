"""The data migration that made credit types rows (credittypes.0002), run on the seeded demo's
ledger as it ran on an installation that held only codes: every amount, certificate and PARS row
comes out as it was. The stored code was already the key, so the migration rewrites no row; what
this checks is that the certificates and the PARS files, which now read the rows, say the same
from the rows the migration makes."""
import importlib

from django.apps import apps
from django.utils import timezone

from courses.credittypes.models import CreditType
from courses.models import CreditDesignation
from credits.certificates.services import certificate_sync
from credits.models import Certificate, CreditRecord
from credits.reports.exporters import exporter_get

seed = importlib.import_module("courses.credittypes.migrations.0002_seed_reference_credit_types")


def _pars_files() -> dict[str, list]:
    this_year = timezone.localdate().year
    files = {"pars_learners": {}} | {f"pars_activities {year}": {"year": year}
                                     for year in (this_year - 1, this_year)}
    rows = {}
    for name, filters in files.items():
        exporter = exporter_get(name.split()[0])
        rows[name] = list(exporter.rows(exporter.clean_filters(filters)))
    return rows


def _demo_credit() -> dict[str, list]:
    return {
        "ledger": list(CreditRecord.objects.order_by("pk").values_list(
            "pk", "user_id", "course_id", "credit_type", "amount", "status")),
        "designations": list(CreditDesignation.objects.order_by("pk").values_list(
            "pk", "course_id", "credit_type", "max_credits")),
        "certificates": list(Certificate.objects.order_by("pk").values_list(
            "pk", "verification_code", "version", "status", "credits", "credit_statement")),
        **_pars_files(),
    }


def test_the_credit_type_rows_migration_keeps_the_demo_amounts_certificates_and_pars_rows(
        seeded):
    before = _demo_credit()
    assert len(before["ledger"]) > 50 and len(before["certificates"]) > 20
    assert len(before["pars_learners"]) > 1, "the demo has AMA credit to report"
    CreditType.objects.all().delete()  # an installation before the migration: codes only

    seed.forwards(apps, schema_editor=None)
    # Each certificate worded again from the migrated rows: a changed credit line or statement
    # would make a new version.
    for user_id, course_id in Certificate.objects.values_list("user_id", "course_id"):
        certificate_sync(user_id=user_id, course_id=course_id)

    assert _demo_credit() == before
