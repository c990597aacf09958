"""Mail-merge kinds: the email rendered once per batch and personalised by substitution equals
the email rendered for the recipient alone (including HTML escaping of their name)."""
import datetime

import pytest
from django.utils import timezone

from accounts.models import OutgoingMessage
from accounts.notifications import KINDS
from accounts.tasks import _build
from courses.reminders import session_context
from credits.learning.reminders import licence_deadline_context, licence_shortfalls
from tests.factories import LicenceFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _contexts():
    session = SessionFactory(course__title="Sepsis & shock <update>")
    licence = LicenceFactory(expires_on=timezone.localdate() + datetime.timedelta(days=30))
    return {
        "session_reminder": {**session_context(session), "hours_before": 24},
        "session_rescheduled": session_context(session),
        "session_cancelled": session_context(session),
        "claim_pending": {"course_title": "Sepsis & shock", "course_url": "http://x/c/",
                          "attended_at": timezone.now().isoformat(),
                          "claim_window_closes_at": timezone.now().isoformat(),
                          "reminder_number": 1},
        "licence_deadline": {**licence_deadline_context(
            licence, licence_shortfalls(licence.user, licence)), "days_before": 30},
    }


def test_every_mail_merge_kind_is_covered_here():
    assert {name for name, kind in KINDS.items() if kind.mail_merge} == set(
        ["session_reminder", "session_rescheduled", "session_cancelled", "claim_pending",
         "licence_deadline"])


@pytest.mark.parametrize("time_zone", ["America/New_York", "Asia/Kolkata"])
def test_merged_email_equals_the_email_rendered_for_the_recipient_alone(time_zone):
    contexts = _contexts()
    people = [UserFactory(full_name="Siobhán O'Brien & <Partners>", time_zone=time_zone),
              UserFactory(full_name="Sam Ortiz", time_zone=time_zone)]
    merged_parts: dict = {}
    for kind, context in contexts.items():
        for person in people:
            message = OutgoingMessage.objects.create(recipient=person, kind=kind,
                                                     object_key="x:1", context=context)
            merged = _build(message, {}, merged_parts)
            alone = _build(message, {})
            assert merged.subject == alone.subject
            assert merged.body == alone.body
            assert merged.alternatives[0][0] == alone.alternatives[0][0]
            assert merged.extra_headers == alone.extra_headers
            assert person.full_name in merged.body
    assert len(merged_parts) == len(contexts)
