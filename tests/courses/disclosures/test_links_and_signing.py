"""Self-disclosure through a signed link: forged, expired, spent and another person's links are
refused with a clear page; the 24-month window and the 12-month validity; a replay counts once."""
import datetime
import re

import pytest
from django.core import mail
from django.core.signing import dumps
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutgoingMessage, User
from accounts.tasks import outgoing_message_batch_send
from courses.disclosures import services
from courses.disclosures.models import DisclosureLink, FinancialDisclosure
from courses.disclosures.selectors import current_disclosure
from tests.factories import DraftCourseFactory, FacultyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _link(person=None, **fields) -> DisclosureLink:
    person = person or FacultyFactory(full_name="Sam Okafor", email="sokafor@cardio.example")
    fields.setdefault("expires_at", timezone.now() + datetime.timedelta(days=30))
    return DisclosureLink.objects.create(person=person, **fields)


def _url(link):
    return reverse("disclosures:sign", args=[services.disclosure_link_token(link)])


def _post(client, link, **data):
    payload = {"rel-TOTAL_FORMS": "1", "rel-INITIAL_FORMS": "0", "rel-MIN_NUM_FORMS": "1",
               "rel-MAX_NUM_FORMS": "20", "signature": "Sam Okafor"}
    payload.update(data)
    return client.post(_url(link), payload)


def test_the_emailed_link_opens_the_form_without_an_account(client):
    person = FacultyFactory(full_name="Sam Okafor", email="sokafor@cardio.example")
    course = DraftCourseFactory(title="Heart failure update")
    services.disclosure_request_for_course(course=course, person=person, sent_by=None)
    message = OutgoingMessage.objects.get(kind="disclosure_request")
    outgoing_message_batch_send.apply(args=[[message.pk]]).get()
    email = mail.outbox[0]
    assert email.to == ["sokafor@cardio.example"]
    assert email.subject.endswith('Your disclosure for "Heart failure update"')
    path = re.search(r"https?://[^/\s]+(/disclose/[^\s]+/)", email.body).group(1)
    response = client.get(path)
    assert response.status_code == 200
    assert b"Financial relationships disclosure" in response.content
    # A contact row carries the email; it has no usable password.
    assert not User.objects.get(email="sokafor@cardio.example").has_usable_password()


def test_attesting_none_signs_a_disclosure_valid_for_twelve_months(client):
    link = _link()
    response = _post(client, link, none_to_disclose="on")
    assert response.status_code == 200
    assert b"Thank you, Sam Okafor" in response.content
    disclosure = FinancialDisclosure.objects.get(person=link.person)
    assert disclosure.none_to_disclose
    signed_on = timezone.localdate()
    assert disclosure.valid_until == services.valid_until(signed_on)
    assert (disclosure.valid_until - signed_on).days in (365, 366)
    assert current_disclosure(link.person, on=disclosure.valid_until
                              - datetime.timedelta(days=1)) == disclosure
    assert current_disclosure(link.person, on=disclosure.valid_until) is None


def test_relationships_are_recorded_with_their_nature_and_ownership_kind(client):
    link = _link()
    response = _post(client, link, **{
        "rel-TOTAL_FORMS": "2", "rel-0-company": "Cardiora Therapeutics",
        "rel-0-nature": "consultant", "rel-1-company": "Medivance",
        "rel-1-nature": "ownership", "rel-1-ownership": "public"})
    assert response.status_code == 200, response.content
    relationships = list(FinancialDisclosure.objects.get().relationships.order_by("company"))
    assert [(r.company, r.nature_text, r.is_owner_or_employee) for r in relationships] == [
        ("Cardiora Therapeutics", "Consultant", False),
        ("Medivance", "Ownership interest (individual stocks)", False)]


def test_an_employee_or_private_owner_is_flagged(client):
    link = _link()
    _post(client, link, **{"rel-TOTAL_FORMS": "2", "rel-0-company": "Medivance",
                           "rel-0-nature": "employee", "rel-1-company": "Stentworks",
                           "rel-1-nature": "ownership", "rel-1-ownership": "private"})
    relationships = FinancialDisclosure.objects.get().relationships.all()
    assert all(r.is_owner_or_employee for r in relationships)


def test_ownership_needs_its_kind_and_nothing_is_lost_on_an_error(client):
    link = _link()
    response = _post(client, link, **{"rel-0-company": "Medivance", "rel-0-nature": "ownership"})
    assert b"diversified mutual funds" in response.content
    assert b'value="Medivance"' in response.content
    assert not FinancialDisclosure.objects.exists()
    link.refresh_from_db()
    assert link.used_at is None


def test_a_relationship_that_ended_more_than_24_months_ago_is_refused(client):
    link = _link()
    long_ago = timezone.localdate() - datetime.timedelta(days=365 * 2 + 10)
    response = _post(client, link, **{"rel-0-company": "Cardiora Therapeutics",
                                      "rel-0-nature": "speaker",
                                      "rel-0-ended_on": long_ago.isoformat()})
    assert b"more than 24 months ago" in response.content
    assert not FinancialDisclosure.objects.exists()
    recent = timezone.localdate() - datetime.timedelta(days=365 * 2 - 10)
    _post(client, link, **{"rel-0-company": "Cardiora Therapeutics", "rel-0-nature": "speaker",
                           "rel-0-ended_on": recent.isoformat()})
    assert FinancialDisclosure.objects.get().relationships.get().ended_on == recent


def test_none_and_relationships_together_or_neither_are_refused(client):
    link = _link()
    both = _post(client, link, none_to_disclose="on", **{"rel-0-company": "Medivance",
                                                         "rel-0-nature": "advisor"})
    assert b"untick the attestation" in both.content
    neither = _post(client, link)
    assert b"or attest that you have none" in neither.content
    assert not FinancialDisclosure.objects.exists()


def test_add_another_relationship_keeps_what_was_typed(client):
    link = _link()
    response = _post(client, link, add_relationship="1",
                     **{"rel-0-company": "Medivance", "rel-0-nature": "advisor"})
    assert response.status_code == 200
    assert response.context["formset"].total_form_count() == 2
    assert b'value="Medivance"' in response.content
    assert not FinancialDisclosure.objects.exists()


def test_a_forged_link_is_refused(client):
    link = _link()
    forged = dumps({"l": link.pk, "n": link.nonce}, salt="another-salt")
    response = client.get(reverse("disclosures:sign", args=[forged]))
    assert response.status_code == 404
    assert b"This link is not valid" in response.content
    tampered = services.disclosure_link_token(link)[:-2] + "xx"
    assert client.get(reverse("disclosures:sign", args=[tampered])).status_code == 404


def test_an_expired_link_is_refused_and_cannot_be_posted(client):
    link = _link(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(_url(link))
    assert response.status_code == 410
    assert b"This link has expired" in response.content
    assert _post(client, link, none_to_disclose="on").status_code == 410
    assert not FinancialDisclosure.objects.exists()


def test_another_persons_link_is_refused_to_a_signed_in_user(client):
    link = _link()
    client.force_login(UserFactory(email="someone.else@hospital.example"))
    response = client.get(_url(link))
    assert response.status_code == 403
    assert b"This link is for someone else" in response.content


def test_the_person_signed_in_with_their_own_account_may_use_it(client):
    user = UserFactory(email="sokafor@cardio.example")
    link = _link()
    client.force_login(user)
    assert client.get(_url(link)).status_code == 200


def test_a_replayed_submission_counts_once(client):
    link = _link()
    _post(client, link, none_to_disclose="on")
    again = _post(client, link, none_to_disclose="on")
    assert again.status_code == 200
    assert b"already signed" in again.content
    assert FinancialDisclosure.objects.count() == 1
    with pytest.raises(Exception, match="already signed"):
        services.financial_disclosure_sign(link=link, none_to_disclose=True, relationships=[],
                                           signature="Sam Okafor")


def test_the_request_email_goes_once_per_activity_unless_sent_again(educator):
    person = FacultyFactory(full_name="Sam Okafor", email="sokafor@cardio.example")
    course = DraftCourseFactory()
    assert services.disclosure_request_for_course(course=course, person=person, sent_by=None)
    assert services.disclosure_request_for_course(course=course, person=person,
                                                  sent_by=None) is None
    assert DisclosureLink.objects.count() == 1
    assert services.disclosure_request_for_course(course=course, person=person, sent_by=educator,
                                                  again=True)
    assert OutgoingMessage.objects.filter(kind="disclosure_request").count() == 2


def test_an_existing_account_is_linked_by_email():
    user = UserFactory(email="SOkafor@cardio.example")
    person = FacultyFactory(full_name="Sam Okafor", email="sokafor@cardio.example")
    assert services.disclosure_contact_user(person=person) == user
    person.refresh_from_db()
    assert person.user == user
