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
