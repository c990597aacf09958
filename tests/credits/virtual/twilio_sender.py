"""Plays Twilio's side of an inbound message: the documented form fields (MessageSid, From, To,
Body, AccountSid, NumMedia) posted to the webhook, signed as Twilio signs them — base64
HMAC-SHA1, keyed with the auth token, of the full URL followed by each parameter sorted by name,
name and value concatenated (twilio.com/docs/usage/webhooks/webhooks-security)."""
import base64
import hashlib
import hmac
import itertools

AUTH_TOKEN = "twilio-auth-token-test"
OFFICE_NUMBER = "+16175550100"
_sids = itertools.count(1)


def sign(url: str, params: dict, token: str = AUTH_TOKEN) -> str:
    data = url + "".join(key + params[key] for key in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()
                            ).decode()


def text(client, *, site_url: str, from_number: str, body: str, sid: str | None = None,
         token: str = AUTH_TOKEN, signed: bool = True):
    params = {"MessageSid": sid or f"SM{next(_sids):032d}", "AccountSid": "AC" + "0" * 32,
              "From": from_number, "To": OFFICE_NUMBER, "Body": body, "NumMedia": "0"}
    headers = {"HTTP_X_TWILIO_SIGNATURE": sign(f"{site_url}/webhooks/sms/", params, token)
               } if signed else {}
    return client.post("/webhooks/sms/", params, **headers)
