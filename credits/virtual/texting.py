"""Twilio's side of text check-in, the one place the portal speaks its webhook contract:
X-Twilio-Signature is the base64 HMAC-SHA1, keyed with the account's auth token, of the full
webhook URL followed by every POST parameter sorted by name, name and value concatenated
(twilio.com/docs/usage/webhooks/webhooks-security); the reply is TwiML, a <Response> holding a
<Message> (twilio.com/docs/messaging/twiml). Numbers are parsed with `phonenumbers`."""
import base64
import hashlib
import hmac
from collections.abc import Iterable
from xml.sax.saxutils import escape

import phonenumbers
from django.conf import settings


def is_configured() -> bool:
    return bool(settings.TWILIO_AUTH_TOKEN and settings.SMS_OFFICE_NUMBER)


def request_signature(*, url: str, params: Iterable[tuple[str, str]],
                      auth_token: str | None = None) -> str:
    token = auth_token if auth_token is not None else settings.TWILIO_AUTH_TOKEN
    message = url + "".join(f"{name}{value}" for name, value in sorted(params))
    digest = hmac.new(token.encode(), message.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def twiml_message(text: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f"<Response><Message>{escape(text)}</Message></Response>")


def e164(raw: str, *, region: str | None = None) -> str | None:
    """The number in E.164, or None when it is not a valid phone number."""
    try:
        parsed = phonenumbers.parse(raw, region or settings.SMS_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def display(number: str) -> str:
    parsed = phonenumbers.parse(number, None)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
