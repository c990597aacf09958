"""The PDF of a learner's validated competencies (WeasyPrint), rendered once by the completion
task and kept in storage with the transcript record it backs."""
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from credits.checklists.models import LearnerChecklist
from credits.checklists.selectors import skill_states


def competencies_pdf(learner_checklist: LearnerChecklist) -> bytes:
    # Imported here: WeasyPrint loads fonts and stylesheets on import.
    from weasyprint import HTML

    html = render_to_string("credits/checklists/competencies_pdf.html", {
        "record": learner_checklist, "learner": learner_checklist.learner,
        "version": learner_checklist.version, "sections": skill_states(learner_checklist),
        "generated_at": timezone.localtime(), "HOSPITAL_NAME": settings.HOSPITAL_NAME,
    })
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def person_readiness_pdf(*, unit, person) -> bytes:
    """One person's competencies for a survey: each checklist's state and dates, and the skills
    of their latest completed cycle with validator and date."""
    from weasyprint import HTML

    from credits.checklists.readiness import readiness_matrix

    today = timezone.localdate()
    matrix = readiness_matrix(unit=unit, today=today, person=person)
    cells = matrix.rows[0].cells if matrix.rows else []
    completed = {row.checklist_id: row for row in LearnerChecklist.objects.filter(
        learner=person, status=LearnerChecklist.Status.COMPLETED).select_related(
            "version", "checklist").order_by("cycle")}
    entries = []
    for checklist, cell in zip(matrix.checklists, cells, strict=True):
        last = completed.get(checklist.pk)
        entries.append({"checklist": checklist, "cell": cell,
                        "sections": skill_states(last) if last else []})
    html = render_to_string("credits/checklists/person_readiness_pdf.html", {
        "unit": unit, "person": person, "entries": entries,
        "generated_at": timezone.localtime(), "HOSPITAL_NAME": settings.HOSPITAL_NAME,
    })
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
