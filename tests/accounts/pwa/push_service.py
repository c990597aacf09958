"""A local push service (the part of a browser vendor's push service the portal talks to),
implementing the documented contract: RFC 8030 message delivery (POST to the subscription's
endpoint with a TTL header; 201 Created; 404/410 for a subscription that is gone), RFC 8292
VAPID (the `Authorization: vapid t=<JWT>, k=<key>` header: an ES256 JWT whose `aud` is this
service's origin, `exp` within 24 hours and a `sub` contact, signed by the key the subscription
was made with) and RFC 8291 message encryption (aes128gcm, decrypted here with the user agent's
private key and authentication secret, written from the RFC, not with the sender's library).

`subscribe()` plays the browser: it makes the user agent's keys and returns what
PushManager.subscribe() would. Served by the stand-ins' common server (tests/stand_in_http.py)."""
import base64
import json
import secrets
import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from tests.stand_in_http import StandInServer


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _hkdf(ikm: bytes, *, salt: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=SHA256(), length=length, salt=salt, info=info).derive(ikm)


def rfc8291_decrypt(body: bytes, *, ua_private: ec.EllipticCurvePrivateKey,
                    auth_secret: bytes) -> bytes:
    """RFC 8291 section 3.4 with the RFC 8188 header (salt, rs, idlen, keyid = the sender's
    ephemeral public key); one record, whose padding delimiter is 0x02."""
    salt, record_size, id_length = body[:16], int.from_bytes(body[16:20], "big"), body[20]
    as_public_bytes = body[21:21 + id_length]
    ciphertext = body[21 + id_length:]
    assert id_length == 65 and len(ciphertext) <= record_size
    as_public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), as_public_bytes)
    ua_public_bytes = ua_private.public_key().public_bytes(Encoding.X962,
                                                           PublicFormat.UncompressedPoint)
    ecdh_secret = ua_private.exchange(ec.ECDH(), as_public)
    ikm = _hkdf(ecdh_secret, salt=auth_secret, length=32,
                info=b"WebPush: info\x00" + ua_public_bytes + as_public_bytes)
    cek = _hkdf(ikm, salt=salt, info=b"Content-Encoding: aes128gcm\x00", length=16)
    nonce = _hkdf(ikm, salt=salt, info=b"Content-Encoding: nonce\x00", length=12)
    record = AESGCM(cek).decrypt(nonce, ciphertext, None).rstrip(b"\x00")
    assert record.endswith(b"\x02"), "not the last record's padding delimiter"
    return record[:-1]


class PushServiceStandIn(StandInServer):
    def __init__(self, *, application_server_key: str):
        super().__init__()
        self.application_server_key = application_server_key  # what subscribe() was given
        self.subscriptions: dict[str, tuple[ec.EllipticCurvePrivateKey, bytes]] = {}
        self.gone: set[str] = set()
        self.received: list[tuple[str, dict]] = []  # (subscription id, decrypted JSON)
        self.refused: list[tuple[int, str]] = []

    @property
    def origin(self) -> str:
        return self.url

    def subscribe(self) -> dict:
        """What the browser's PushSubscription.toJSON() gives for a new subscription."""
        subscription_id = secrets.token_urlsafe(12)
        private = ec.generate_private_key(ec.SECP256R1())
        auth = secrets.token_bytes(16)
        self.subscriptions[subscription_id] = (private, auth)
        public = private.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        return {"endpoint": f"{self.origin}/push/{subscription_id}",
                "keys": {"p256dh": b64url(public), "auth": b64url(auth)}}

    def _vapid_refusal(self, authorization: str) -> str | None:
        """RFC 8292: why the Authorization header is not acceptable, or None."""
        scheme, _, params = authorization.partition(" ")
        fields = dict(part.strip().split("=", 1) for part in params.split(",") if "=" in part)
        if scheme.lower() != "vapid" or "t" not in fields or "k" not in fields:
            return "no vapid t= and k="
        if fields["k"] != self.application_server_key:
            return "k is not the key the subscription was made with"
        header_b64, claims_b64, signature_b64 = fields["t"].split(".")
        header = json.loads(b64url_decode(header_b64))
        claims = json.loads(b64url_decode(claims_b64))
        if header.get("alg") != "ES256":
            return "alg is not ES256"
        signature = b64url_decode(signature_b64)
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(),
                                                           b64url_decode(fields["k"]))
        try:
            key.verify(encode_dss_signature(int.from_bytes(signature[:32], "big"),
                                            int.from_bytes(signature[32:], "big")),
                       f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(SHA256()))
        except InvalidSignature:
            return "the JWT signature does not verify"
        if claims.get("aud") != self.origin:
            return f"aud {claims.get('aud')} is not {self.origin}"
        if not time.time() < claims.get("exp", 0) <= time.time() + 24 * 3600:
            return "exp is not within 24 hours"
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            return "no sub contact"
        return None

    def receive(self, method, path, headers, body) -> tuple[int, dict[str, str], bytes]:
        """RFC 8030 section 5: a message POSTed to a subscription's endpoint."""
        if method != "POST":
            return 405, {}, b""
        subscription_id = path.rsplit("/", 1)[-1]
        status, reason = 201, ""
        if subscription_id in self.gone:
            status, reason = 410, "gone"
        elif subscription_id not in self.subscriptions:
            status, reason = 404, "no such subscription"
        elif headers.get("TTL") is None:
            status, reason = 400, "no TTL (RFC 8030 5.2)"
        elif headers.get("Content-Encoding") != "aes128gcm":
            status, reason = 415, "not aes128gcm"
        elif refusal := self._vapid_refusal(headers.get("Authorization", "")):
            status, reason = 403, refusal
        if status != 201:
            with self.lock:
                self.refused.append((status, reason))
            return status, {}, b""
        private, auth = self.subscriptions[subscription_id]
        payload = rfc8291_decrypt(body, ua_private=private, auth_secret=auth)
        with self.lock:
            self.received.append((subscription_id, json.loads(payload)))
        return 201, {"Location": f"/message/{secrets.token_urlsafe(8)}"}, b""
