"""Carry the disclosures educators typed (courses.Disclosure) into the self-disclosure tables.

Each person's typed rows become one disclosure (source "educator", dated when first recorded,
valid 12 months from then) with one relationship per typed company; a relationship the
educator ticked as mitigated gets a mitigation for that course, recorded by a course director.
The typed rows stay as the course's list of who controls content in which role.
"""
import datetime

from django.db import migrations

NATURE_WORDS = [("employ", "employee"), ("research", "researcher"), ("consult", "consultant"),
                ("advis", "advisor"), ("speak", "speaker"), ("contract", "contractor"),
                ("royalt", "royalties"), ("patent", "royalties"), ("exec", "executive"),
                ("officer", "executive"), ("stock", "ownership"), ("share", "ownership"),
                ("own", "ownership")]


def _months_after(day, months):
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month + 1, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _nature(text):
    lowered = text.lower()
    for word, nature in NATURE_WORDS:
        if word in lowered:
            return nature
    return "consultant"


def forwards(apps, schema_editor):
    TypedDisclosure = apps.get_model("courses", "Disclosure")
    FinancialDisclosure = apps.get_model("disclosures", "FinancialDisclosure")
    FinancialRelationship = apps.get_model("disclosures", "FinancialRelationship")
    Mitigation = apps.get_model("disclosures", "Mitigation")
    by_person = {}
    for typed in TypedDisclosure.objects.select_related("faculty", "course").order_by("recorded_at"):
        by_person.setdefault(typed.faculty_id, []).append(typed)
    for rows in by_person.values():
        first = rows[0]
        signed_at = first.recorded_at
        signed_on = signed_at.date()
        relevant = [row for row in rows if row.has_relevant_relationships]
        disclosure = FinancialDisclosure.objects.create(
            person_id=first.faculty_id, none_to_disclose=not relevant,
            signature=f"{first.faculty.full_name} (typed by an educator)",
            signed_on=signed_on, signed_at=signed_at,
            valid_until=_months_after(signed_on, 12), source="educator")
        relationships = {}
        for row in relevant:
            nature = _nature(row.relationship)
            key = (row.ineligible_company.strip(), nature)
            if key not in relationships:
                relationships[key] = FinancialRelationship.objects.create(
                    disclosure=disclosure, company=key[0], nature=nature,
                    ownership="public" if nature == "ownership" else "")
            director = row.course.directors.order_by("pk").first()
            if row.mitigated and director is not None:
                Mitigation.objects.get_or_create(
                    course_id=row.course_id, relationship=relationships[key], defaults={
                        "relevant": True, "step": "other",
                        "other_text": f"Recorded as mitigated before self-disclosure "
                                      f"({row.relationship})",
                        "reviewer": director,
                        "decided_at": row.recorded_at or datetime.datetime.now(datetime.UTC)})


class Migration(migrations.Migration):
    dependencies = [
        ("disclosures", "0001_self_disclosure_mitigation_and_commercial_support"),
        ("courses", "0005_enduring_release_and_termination_dates"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
