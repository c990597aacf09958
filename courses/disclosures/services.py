"""Every write of the disclosure package: issuing and resolving signed links, signing a
disclosure, recording a mitigation and commercial support."""
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import outgoing_message_queue
from courses.disclosures.models import (
    CommercialSupport,
    DisclosureLink,
    FinancialDisclosure,
    FinancialRelationship,
    Mitigation,
    lookback_start,
    valid_until,
)
from courses.models import Course, Faculty
from courses.selectors.educator import course_is_managed_by

LINK_SALT = "courses.disclosures.link"
PDF_MAGIC = b"%PDF-"


# --- Links ------------------------------------------------------------------------------------

def disclosure_link_token(link: DisclosureLink) -> str:
    return signing.dumps({"l": link.pk, "n": link.nonce}, salt=LINK_SALT, compress=False)


def disclosure_link_path(link: DisclosureLink) -> str:
    return reverse("disclosures:sign", args=[disclosure_link_token(link)])


class DisclosureLinkRefused(Exception):
    """Why a link cannot be used, in words for the person holding it."""

    def __init__(self, reason: str, *, link: DisclosureLink | None = None):
        super().__init__(reason)
        self.reason, self.link = reason, link


def disclosure_link_resolve(*, token: str, user: User | None, now: datetime.datetime | None = None
                            ) -> DisclosureLink:
    """The open link a token stands for; DisclosureLinkRefused with reason 'forged', 'expired',
    'used' or 'other_person' otherwise."""
    now = now or timezone.now()
    try:
        payload = signing.loads(token, salt=LINK_SALT)
        link = (DisclosureLink.objects.select_related("person", "course")
                .get(pk=payload["l"], nonce=payload["n"]))
    except (signing.BadSignature, DisclosureLink.DoesNotExist, KeyError, TypeError) as error:
        raise DisclosureLinkRefused("forged") from error
    if user is not None and user.is_authenticated and not _is_the_person(link.person, user):
        raise DisclosureLinkRefused("other_person", link=link)
    if link.used_at is not None:
        raise DisclosureLinkRefused("used", link=link)
    if link.expires_at <= now:
        raise DisclosureLinkRefused("expired", link=link)
    return link


def _is_the_person(person: Faculty, user: User) -> bool:
    if person.user_id is not None:
        return person.user_id == user.pk
    return bool(person.email) and person.email.lower() == user.email.lower()


def disclosure_contact_user(*, person: Faculty) -> User:
    """The account emails to `person` go to: theirs when one exists (linked by email), else a
    contact row without a password that they never need to sign in with."""
    if person.user_id is not None:
        return person.user
    if not person.email:
        raise ValidationError(f"Add an email address for {person.full_name} to send the "
                              "disclosure link.")
    user = User.objects.filter(email__iexact=person.email).first()
    if user is None:
        user = User.objects.create_user(email=person.email, password=None,
                                        full_name=person.full_name)
    if not Faculty.objects.filter(user=user).exists():
        person.user = user
        person.save(update_fields=["user"])
    return user


@transaction.atomic
def disclosure_link_send(*, person: Faculty, course: Course | None = None,
                         sent_by: User | None = None, kind: str = "disclosure_request",
                         object_key: str = "", occurrence: str = "",
                         context: dict | None = None) -> DisclosureLink | None:
    """Issue a link and email it through the outbox, at most once per (kind, object,
    occurrence): returns None, and keeps no link, when that email was already owed."""
    recipient = disclosure_contact_user(person=person)
    now = timezone.now()
    with transaction.atomic():
        link = DisclosureLink.objects.create(
            person=person, course=course, sent_by=sent_by,
            expires_at=now + datetime.timedelta(days=settings.DISCLOSURE_LINK_DAYS))
        message = outgoing_message_queue(
            recipient=recipient, kind=kind, object_key=object_key or f"faculty:{person.pk}",
            occurrence=occurrence, context={
                "person_name": person.full_name, "link_path": disclosure_link_path(link),
                "expires_at": link.expires_at,
                "course_title": course.title if course else "", **(context or {})})
        if message is None:
            transaction.set_rollback(True)
            return None
    return link


def disclosure_request_for_course(*, course: Course, person: Faculty, sent_by: User | None,
                                  again: bool = False) -> DisclosureLink | None:
    """Ask a person on the activity for their disclosure: once per activity (the scan and the
    director's button share the key), or once more when the director asks `again`."""
    occurrence = timezone.now().isoformat() if again else ""
    return disclosure_link_send(person=person, course=course, sent_by=sent_by,
                                object_key=f"faculty:{person.pk}",
                                occurrence=f"course:{course.pk}{':' + occurrence if again else ''}")


# --- Signing ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class DisclosedRelationship:
    company: str
    nature: str
    ownership: str = ""
    ended_on: datetime.date | None = None


def _relationship_errors(item: DisclosedRelationship, *, signed_on: datetime.date) -> list[str]:
    errors = []
    if not item.company.strip():
        errors.append("Name the ineligible company.")
    if item.nature not in FinancialRelationship.Nature.values:
        errors.append("Choose the nature of the relationship.")
    if (item.nature == FinancialRelationship.Nature.OWNERSHIP
            and item.ownership not in FinancialRelationship.Ownership.values):
        errors.append("Say whether the ownership is individual stocks of a publicly traded "
                          "company or of a privately held company (diversified mutual funds "
                          "need not be disclosed).")
    if item.ended_on is not None:
        if item.ended_on > signed_on:
            errors.append("An end date cannot be in the future; leave it empty while the "
                          "relationship continues.")
        elif item.ended_on < lookback_start(signed_on):
            errors.append(f"This relationship ended before {lookback_start(signed_on):%-d %B %Y}, "
                          "more than 24 months ago: it need not be disclosed. Remove it.")
    return errors


@transaction.atomic
def financial_disclosure_sign(*, link: DisclosureLink, none_to_disclose: bool,
                              relationships: list[DisclosedRelationship], signature: str,
                              now: datetime.datetime | None = None) -> FinancialDisclosure:
    """Sign a disclosure through a link; the link is spent, so a second submission is refused."""
    now = now or timezone.now()
    link = DisclosureLink.objects.select_for_update().select_related("person").get(pk=link.pk)
    if link.used_at is not None:
        raise ValidationError("This disclosure was already signed through this link.")
    if link.expires_at <= now:
        raise ValidationError("This link has expired; ask the CME office for a new one.")
    signed_on = timezone.localdate(now)
    signature = " ".join(signature.split())
    errors = {}
    if not signature:
        errors["signature"] = "Type your full name to sign."
    if none_to_disclose and relationships:
        errors["__all__"] = ("You attested to no financial relationships but listed some: "
                             "untick the attestation or remove the relationships.")
    elif not none_to_disclose and not relationships:
        errors["__all__"] = ("List each financial relationship with an ineligible company of the "
                             "past 24 months, or attest that you have none.")
    for index, item in enumerate(relationships, start=1):
        for message in _relationship_errors(item, signed_on=signed_on):
            errors.setdefault("__all__", [])
            if isinstance(errors["__all__"], str):
                errors["__all__"] = [errors["__all__"]]
            errors["__all__"].append(f"Relationship {index}: {message}")
    if errors:
        raise ValidationError(errors)
    disclosure = FinancialDisclosure.objects.create(
        person=link.person, none_to_disclose=none_to_disclose, signature=signature,
        signed_on=signed_on, signed_at=now, valid_until=valid_until(signed_on))
    FinancialRelationship.objects.bulk_create([
        FinancialRelationship(disclosure=disclosure, company=item.company.strip(),
                              nature=item.nature,
                              ownership=(item.ownership if item.nature == "ownership" else ""),
                              ended_on=item.ended_on)
        for item in relationships])
    link.used_at, link.disclosure = now, disclosure
    link.save(update_fields=["used_at", "disclosure"])
    return disclosure


# --- Mitigation -------------------------------------------------------------------------------

@transaction.atomic
def mitigation_record(*, course: Course, relationship: FinancialRelationship, reviewer: User,
                      relevant: bool, step: str, other_text: str = "",
                      owner_exception: str = "") -> Mitigation:
    """A reviewer's decision on one relationship for one activity; a second decision replaces
    the first (who and when are those of the latest)."""
    if not course_is_managed_by(course=course, user=reviewer):
        raise ValidationError("Only the activity's course directors and the CME office review "
                              "its disclosures.")
    person = relationship.disclosure.person
    if person.user_id == reviewer.pk or (person.email
                                         and person.email.lower() == reviewer.email.lower()):
        raise ValidationError("You cannot review your own disclosure: ask a co-director or the "
                              "CME office.")
    other_text = other_text.strip()
    errors = {}
    if step not in Mitigation.Step.values:
        errors["step"] = "Choose the mitigation step."
    elif not relevant and step != Mitigation.Step.NOT_RELEVANT:
        errors["step"] = "A relationship that is not relevant needs no mitigation step."
    elif relevant and step == Mitigation.Step.NOT_RELEVANT:
        errors["step"] = "Choose how the relevant relationship is mitigated."
    if step == Mitigation.Step.OTHER and not other_text:
        errors["other_text"] = "Describe the mitigation step."
    if relationship.is_owner_or_employee:
        if owner_exception not in Mitigation.Exception.values:
            errors["owner_exception"] = (
                "Owners and employees of ineligible companies may control content only under "
                "one of ACCME's three exceptions: record which applies, or remove the person "
                "from the activity.")
    elif owner_exception:
        errors["owner_exception"] = "Exceptions apply only to owners and employees."
    if errors:
        raise ValidationError(errors)
    Course.objects.select_for_update().filter(pk=course.pk).first()
    mitigation, _ = Mitigation.objects.update_or_create(
        course=course, relationship=relationship, defaults={
            "relevant": relevant, "step": step,
            "other_text": other_text if step == Mitigation.Step.OTHER else "",
            "owner_exception": owner_exception, "reviewer": reviewer,
            "decided_at": timezone.now()})
    return mitigation


# --- Commercial support -----------------------------------------------------------------------

def agreement_pdf_check(upload: UploadedFile) -> None:
    if upload.size > settings.SUPPORT_AGREEMENT_MAX_BYTES:
        raise ValidationError({"agreement": "The agreement is larger than "
                               f"{settings.SUPPORT_AGREEMENT_MAX_BYTES // (1024 * 1024)} MB; "
                               "upload a smaller scan."})
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if not head.lstrip().startswith(PDF_MAGIC):
        raise ValidationError({"agreement": "The agreement must be a PDF file."})


@transaction.atomic
def commercial_support_save(*, course: Course, editor: User, supporter: str,
                            amount=None, in_kind: str = "", agreement: UploadedFile | None = None,
                            agreement_signed_on: datetime.date | None = None,
                            support: CommercialSupport | None = None) -> CommercialSupport:
    """Record support from an ineligible company; the agreement may follow, but the activity
    cannot publish until it is uploaded and signed before the activity."""
    if not course_is_managed_by(course=course, user=editor):
        raise ValidationError("Only the activity's course directors and the CME office record "
                              "its commercial support.")
    supporter, in_kind = supporter.strip(), in_kind.strip()
    errors = {}
    if not supporter:
        errors["supporter"] = "Name the ineligible company giving the support."
    if (amount is None or amount <= 0) and not in_kind:
        errors["amount"] = "Give the monetary amount, describe the in-kind support, or both."
    if agreement is not None:
        try:
            agreement_pdf_check(agreement)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    support = support or CommercialSupport(course=course, recorded_by=editor)
    support.supporter, support.amount, support.in_kind = supporter, amount, in_kind
    support.agreement_signed_on = agreement_signed_on
    if agreement is not None:
        support.agreement.save(agreement.name, agreement, save=False)
    support.save()
    return support
