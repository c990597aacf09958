"""Rendering of the portal's emails: one HTML and one plain-text template per kind."""
import secrets

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation


class PortalEmail(EmailMultiAlternatives):
    """An HTML + text email with a random MIME boundary chosen up front.

    Left to itself, the standard library's generator picks a boundary and compiles a regular
    expression per message to check the body does not contain it, a third of the cost of
    building a reminder; 128 random bits cannot occur in a body by chance.
    """

    def _create_alternatives(self, msg):
        msg = super()._create_alternatives(msg)
        if msg.is_multipart():
            msg.set_boundary(f"==============={secrets.token_hex(16)}==")
        return msg


# A message's context may carry per-recipient values under this key, {stand-in: value}, with
# the stand-ins (from merge_placeholder) in the rest of the context: a mail-merge kind is then
# rendered once for everyone with the same rest and personalised by substitution.
MERGE_FIELDS = "merge_fields"


def merge_placeholder(name: str) -> str:
    """The stand-in for a per-recipient value: letters and digits only, so autoescaping and
    URL quoting leave it intact in the rendered email."""
    if not name.isalnum():
        raise ValueError(f"A merge field's name is letters and digits: {name!r}")
    return f"MailMerge{name}7f3a9c"


def render_email_parts(*, kind: str, context: dict, recipient_time_zone: str,
                       recipient_language: str = "") -> tuple[str, str, str]:
    """Subject, plain text and HTML of emails/<kind>_subject.txt, <kind>.txt and <kind>.html,
    rendered in the recipient's zone and language (blank: the portal's, since an email has no
    browser to ask)."""
    full_context = {"SITE_URL": settings.SITE_URL, "SITE_NAME": settings.SITE_NAME,
                    "HOSPITAL_NAME": settings.HOSPITAL_NAME, **context}
    with (timezone.override(recipient_time_zone),
          translation.override(recipient_language or settings.LANGUAGE_CODE)):
        subject = render_to_string(f"emails/{kind}_subject.txt", full_context).strip()
        text_body = render_to_string(f"emails/{kind}.txt", full_context)
        html_body = render_to_string(f"emails/{kind}.html", full_context)
    return subject, text_body, html_body


def email_from_parts(*, parts: tuple[str, str, str], to: str,
                     extra_headers: dict | None = None) -> EmailMultiAlternatives:
    subject, text_body, html_body = parts
    message = PortalEmail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}", body=text_body, to=[to],
        headers=extra_headers or {},
    )
    message.attach_alternative(html_body, "text/html")
    return message
