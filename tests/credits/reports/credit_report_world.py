"""A small, fully fixed ledger and the credit report's rows over it, for comparing database
backends: run as `python -m tests.credits.reports.credit_report_world` it migrates the database
named by DATABASE_URL, loads the ledger and prints the report's rows as JSON."""
import datetime
import json
from decimal import Decimal

UTC = datetime.UTC


def credit_report_ledger_create() -> None:
    """Amounts with and without decimals, a certificate, a voided record and an external one,
    every value fixed, so two databases given this ledger must give the same report."""
    from accounts.models import User
    from courses.models import Course, Session
    from credits.models import Certificate, CreditRecord, ExternalActivity

    priya = User.objects.create(full_name="Priya Raman", email="priya@hospital.example",
                                degree="MD", profession="physician", npi="1234567893",
                                board_id="123456")
    ana = User.objects.create(full_name="Ana Costa", email="ana@hospital.example",
                              degree="PharmD", profession="pharmacist")
    rounds = Course.objects.create(title="Medical Grand Rounds", slug="grand-rounds",
                                   format="rss", status="published")
    Session.objects.create(course=rounds, starts_at=datetime.datetime(2026, 3, 3, 12, 30,
                                                                       tzinfo=UTC),
                           ends_at=datetime.datetime(2026, 3, 3, 13, 30, tzinfo=UTC))
    module = Course.objects.create(title="=HYPERLINK(\"x\") Opioid Stewardship", slug="opioids",
                                   format="enduring", status="published")
    claimed = datetime.datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    for user, course, credit_type, amount in [
            (priya, rounds, "ama_pra_1", Decimal("1")), (priya, module, "ama_pra_1",
                                                          Decimal("1.5")),
            (ana, module, "acpe", Decimal("0.25"))]:
        CreditRecord.objects.create(user=user, course=course, credit_type=credit_type,
                                    amount=amount, completed_on=datetime.date(2026, 3, 3),
                                    claimed_at=claimed, source="claim")
    CreditRecord.objects.create(user=ana, course=rounds, credit_type="ama_pra_1",
                                amount=Decimal("1.00"), completed_on=datetime.date(2026, 3, 3),
                                claimed_at=claimed, source="claim", status="voided",
                                void_reason="Claimed for the wrong week", voided_at=claimed)
    external = ExternalActivity.objects.create(
        user=ana, title="ASHP Midyear", provider="ASHP", completed_on=datetime.date(2026, 2, 1),
        credit_type="acpe", amount=Decimal("12.5"), certificate="external-certificates/a.pdf")
    CreditRecord.objects.create(user=ana, external_activity=external, credit_type="acpe",
                                amount=Decimal("12.5"), completed_on=datetime.date(2026, 2, 1),
                                claimed_at=claimed, source="external")
    Certificate.objects.create(user=priya, course=rounds, verification_code="7K3MQ9TZ2BXW4HNP",
                               learner_name="Priya Raman, MD", activity_title=rounds.title,
                               activity_dates="3 March 2026",
                               completion_date=datetime.date(2026, 3, 3),
                               issue_date=datetime.date(2026, 3, 4), status="ready")


def credit_report_rows() -> list[list[str]]:
    from credits.reports.exporters import EXPORTERS

    exporter = EXPORTERS["credit_report"]
    return [[str(value) for value in row]
            for row in exporter.rows(exporter.clean_filters({"status": "all"}))]


if __name__ == "__main__":
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    credit_report_ledger_create()
    print(json.dumps(credit_report_rows()))
