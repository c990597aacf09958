"""A certificate, and the email saying it is ready, are worded in the learner's profile language,
dates written the way that language writes them; the AMA designation statement and the credit's
name stay in the English the AMA requires."""
import io

import pytest
from django.core import mail
from pypdf import PdfReader

from credits.models import Certificate
from tests.credits.certificates.certificate_helpers import claim_credit, make_course


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    from cpd_portal.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _issued_text(user, django_capture_on_commit_callbacks) -> str:
    course = make_course()
    with django_capture_on_commit_callbacks(execute=True):
        claim_credit(user, course)
    certificate = Certificate.objects.get(user=user, course=course)
    assert certificate.status == Certificate.Status.READY
    with certificate.pdf.open("rb") as handle:
        return " ".join(PdfReader(io.BytesIO(handle.read())).pages[0].extract_text().split())


AMA_STATEMENT = "designates this live activity for a maximum of 1.50 AMA PRA Category 1 Credits™"


@pytest.mark.parametrize(("language", "wording", "email_subject"), [
    ("es", ["Certificado de Finalización", "Se certifica que", "ha completado la actividad "
            "presencial", "Celebrada el viernes 20 de noviembre de 2026", "Código de verificación",
            "Verifíquelo en"],
     "Su certificado de Medical Grand Rounds: Sepsis Recognition está listo"),
    ("pt-br", ["Certificado de Conclusão", "Certificamos que", "concluiu a atividade presencial",
               "Realizada em sexta-feira, 20 de novembro de 2026", "Código de verificação",
               "Verifique em"],
     "Seu certificado de Medical Grand Rounds: Sepsis Recognition está pronto"),
    ("", ["Certificate of Completion", "This certifies that", "has completed the live activity",
          "Held Friday 20 November 2026", "Verification code", "Verify at"],
     "Your certificate for Medical Grand Rounds: Sepsis Recognition is ready"),
])
def test_the_certificate_is_worded_in_the_learners_language(
        clinician, django_capture_on_commit_callbacks, language, wording, email_subject):
    clinician.language = language
    clinician.save(update_fields=["language"])
    text = _issued_text(clinician, django_capture_on_commit_callbacks)
    for words in wording:
        assert words in text or words.upper() in text  # labels are upper-cased by the CSS
    assert AMA_STATEMENT in text
    assert "Priya Raman, MD" in text
    [email] = mail.outbox
    assert email.subject.endswith(email_subject)
