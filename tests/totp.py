"""An RFC 6238 code generator: the tests' stand-in for a clinician's authenticator app."""
import base64
import hashlib
import hmac
import struct
import time


def totp_code(secret_base32: str, at: float | None = None, step: int = 30) -> str:
    key = base64.b32decode(secret_base32.upper() + "=" * (-len(secret_base32) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 1_000_000).zfill(6)
