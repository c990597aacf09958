"""Learner emails are written in the recipient's profile language (the outbox has no browser to
ask), and in English when the profile names none."""
import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.emails import render_email_parts
from accounts.models import OutgoingMessage
from accounts.tasks import outgoing_message_batch_send

STARTS = timezone.make_aware(datetime.datetime(2026, 11, 20, 12, 0))
ENDS = STARTS + datetime.timedelta(hours=1)
SESSION = {"session_title": "Sepsis update", "course_title": "Medical Grand Rounds",
           "starts_at": STARTS, "ends_at": ENDS, "location": "Auditorium A",
           "course_url": "https://cpd.example.org/courses/medical-grand-rounds/"}
CONTEXTS = {
    "session_reminder": {**SESSION, "hours_before": 24, "online_url": ""},
    "session_cancelled": SESSION,
    "session_rescheduled": SESSION,
    "claim_pending": {"course_title": "Medical Grand Rounds", "attended_at": STARTS,
                      "claim_window_closes_at": ENDS + datetime.timedelta(days=90),
                      "course_url": "https://cpd.example.org/courses/medical-grand-rounds/"},
    "certificate_ready": {"activity_title": "Medical Grand Rounds", "version": 1,
                          "download_url": "https://cpd.example.org/d/", "verification_code": "K7Q2",
                          "verification_url": "https://cpd.example.org/v/"},
    "enrolment_confirmed": {"course_title": "Medical Grand Rounds", "sessions": [],
                            "course_path": "/courses/medical-grand-rounds/"},
    "pathway_step_overdue": {"pathway_title": "New graduate nurse residency",
                             "step_title": "Central Line Care",
                             "due_on": datetime.date(2027, 1, 14), "done": 1, "needed": 4,
                             "pathway_url": "https://cpd.example.org/pathways/residency/"},
    "credit_report_refused": {"activity_title": "Sepsis recognition", "service": "CE Broker",
                              "message": "License not found.", "due_on": datetime.date(2027, 1, 6),
                              "profile_url": "https://cpd.example.org/accounts/profile/"},
}
SPANISH = {"session_reminder": "Le recordamos que está inscrito/a en esta sesión.",
           "session_cancelled": "Lo sentimos: esta sesión se ha cancelado.",
           "session_rescheduled": "Ha cambiado la hora de una sesión",
           "claim_pending": "aún no ha solicitado sus créditos",
           "certificate_ready": "Ya está listo su certificado",
           "enrolment_confirmed": "Está inscrito/a en Medical Grand Rounds.",
           "pathway_step_overdue": "«Central Line Care» vencía el 14 de enero de 2027",
           "credit_report_refused": "Corrija su perfil antes del 6"}
PORTUGUESE = {"session_reminder": "Lembramos que você está inscrito(a) nesta sessão.",
              "session_cancelled": "Lamentamos: esta sessão foi cancelada.",
              "session_rescheduled": "mudou de horário",
              "claim_pending": "ainda não solicitou seus créditos",
              "certificate_ready": "Seu certificado de",
              "enrolment_confirmed": "Você está inscrito(a) em Medical Grand Rounds.",
              "pathway_step_overdue": "“Central Line Care” vencia em 14 de janeiro de 2027",
              "credit_report_refused": "Corrija seu perfil antes de 6"}


@pytest.mark.parametrize("kind", sorted(CONTEXTS))
@pytest.mark.parametrize(("language", "expected"), [("es", SPANISH), ("pt-br", PORTUGUESE)])
def test_a_learner_email_is_in_the_recipients_language(kind, language, expected):
    subject, text, html = render_email_parts(
        kind=kind, context={"recipient": {"full_name": "Ana Costa"}, **CONTEXTS[kind]},
        recipient_time_zone="America/New_York", recipient_language=language)
    assert expected[kind] in text and expected[kind] in html.replace("<strong>", "").replace(
        "</strong>", "")
    assert f'<html lang="{language}">' in html
    assert "Ana Costa" in text


def test_one_batch_writes_each_recipient_in_their_own_language(clinician, other_clinician):
    clinician.language = "es"
    clinician.save(update_fields=["language"])
    messages = [OutgoingMessage.objects.create(recipient=user, kind="claim_pending",
                                               object_key=f"claim:{user.pk}",
                                               context=CONTEXTS["claim_pending"])
                for user in (clinician, other_clinician)]
    outgoing_message_batch_send.apply(args=[[message.pk for message in messages]]).get()
    body = {email.to[0]: email.body for email in mail.outbox}
    assert "aún no ha solicitado sus créditos" in body[clinician.email]
    assert "have not claimed your credit yet" in body[other_clinician.email]
