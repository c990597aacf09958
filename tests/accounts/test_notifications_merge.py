"""Mail-merge kinds: the email rendered once per batch and personalised by substitution equals
the email rendered for the recipient alone (including HTML escaping of their name and of the
context's own merge fields, a drill's answer links)."""
import datetime
import re

import pytest
from django.utils import timezone

from accounts.emails import MERGE_FIELDS, merge_placeholder
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
        "drill_questions": _drill_context(),
        "drill_questions_required": {**_drill_context(), "required": True},
        "assignment_due_soon": _assignment_context(days_left=5),
        "assignment_overdue": _assignment_context(days_left=-3),
    }


def _assignment_context(*, days_left: int):
    return {"assignment_title": "Annual infection control & <PPE>",
            "course_title": "Hand hygiene & <gloves>", "course_url": "http://x/c/?a=1&b=2",
            "due_on": (timezone.localdate() + datetime.timedelta(days=days_left)).isoformat(),
            "days_left": days_left}


def _drill_context():
    stand_in = merge_placeholder("DrillAnswer1A")
    return {"course_title": "Sepsis recognition", "drill_path": "/drills/sepsis/",
            "required": False, "delivered_on": "2026-12-02",
            "questions": [{"stem": "qSOFA & lactate?", "options": [
                {"letter": "A", "text": "Fluids <30 mL/kg>", "url": stand_in}]}],
            MERGE_FIELDS: {stand_in: "http://x/drills/answer/a:b/"}}


# A signed link (the footer's "Choose what we send you", the List-Unsubscribe header) carries the
# second it was signed in: the two renders may fall on either side of a second, so they are
# compared with the stamp and the signature cut out (the links' payloads still must match).
SIGNED_STAMP = re.compile(r":[0-9A-Za-z]{6}:[A-Za-z0-9_-]{43}")


def _unsigned(text: str) -> str:
    return SIGNED_STAMP.sub(":<signed>", text)


def test_every_mail_merge_kind_is_covered_here():
    assert {name for name, kind in KINDS.items() if kind.mail_merge} == set(
        ["session_reminder", "session_rescheduled", "session_cancelled", "claim_pending",
         "licence_deadline", "drill_questions", "drill_questions_required",
         "assignment_due_soon", "assignment_overdue"])


@pytest.mark.parametrize("time_zone", ["America/New_York", "Asia/Kolkata"])
def test_merged_email_equals_the_email_rendered_for_the_recipient_alone(time_zone):
    contexts = _contexts()
    people = [UserFactory(full_name="Siobhán O'Brien & <Partners>", time_zone=time_zone),
              UserFactory(full_name="Sam Ortiz", time_zone=time_zone)]
    merged_parts: dict = {}
    for kind, context in contexts.items():
        for number, person in enumerate(people):
            if MERGE_FIELDS in context:  # each person's own links
                context = {**context, MERGE_FIELDS: {
                    key: f"{value}?person={number}&n=1"
                    for key, value in context[MERGE_FIELDS].items()}}
            message = OutgoingMessage.objects.create(recipient=person, kind=kind,
                                                     object_key="x:1", context=context)
            merged = _build(message, {}, merged_parts)
            alone = _build(message, {})
            assert merged.subject == alone.subject
            assert _unsigned(merged.body) == _unsigned(alone.body)
            assert (_unsigned(merged.alternatives[0][0])
                    == _unsigned(alone.alternatives[0][0]))
            assert ({name: _unsigned(value) for name, value in merged.extra_headers.items()}
                    == {name: _unsigned(value) for name, value in alone.extra_headers.items()})
            assert person.full_name in merged.body
            for link in context.get(MERGE_FIELDS, {}).values():
                assert link in merged.body
                assert link.replace("&", "&amp;") in merged.alternatives[0][0]
            assert "MailMerge" not in merged.body + merged.alternatives[0][0]
    assert len(merged_parts) == len(contexts)
