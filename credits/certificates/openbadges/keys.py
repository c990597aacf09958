"""The portal's credential signing key: read from the environment, a dev key under var/ when
DEBUG is on, and its public half as a JWK for the published key set.

P-256 (JWS alg ES256) by default: every JOSE library verifies it and, unlike "EdDSA" (deprecated
by RFC 9864 for the fully specified "Ed25519", which few verifiers know yet), it is not about to
change name. An Ed25519 key works too and signs as EdDSA. No Django imports at module level:
settings calls `signing_key_pem` while it loads.
"""
from __future__ import annotations

import functools
import json
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

DEV_KEY_NAME = "credential-signing-key.pem"


class SigningKeyError(ValueError):
    pass


def new_signing_key_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _check(text: str) -> str:
    """The key as PEM, or SigningKeyError naming what is wrong (never the key itself)."""
    text = text.strip()
    if text.startswith("{"):
        from joserfc.jwk import import_key

        try:
            key = import_key(json.loads(text))
        except Exception as error:
            raise SigningKeyError("is not a valid JWK") from error
        if not key.is_private:
            raise SigningKeyError("is a public JWK; the private key (with \"d\") is needed")
        text = key.as_pem(private=True).decode()
    try:
        key = serialization.load_pem_private_key(text.encode(), password=None)
    except Exception as error:
        raise SigningKeyError("is not an unencrypted PEM private key or a JWK") from error
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return text
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1":
        return text
    raise SigningKeyError("must be an Ed25519 or a P-256 key")


def signing_key_pem(*, value: str, path: str, debug: bool, var_dir: Path) -> str:
    """CREDENTIAL_SIGNING_KEY (PEM or JWK) or the file CREDENTIAL_SIGNING_KEY_FILE names; with
    DEBUG on and neither set, a key generated once under var/. Raises SigningKeyError."""
    if value:
        return _check(value)
    if path:
        try:
            return _check(Path(path).read_text())
        except OSError as error:
            raise SigningKeyError(f"file {path} cannot be read") from error
    if not debug:
        raise SigningKeyError("must be set when DEBUG is off")
    dev_key = var_dir / DEV_KEY_NAME
    if not dev_key.exists():
        try:  # O_EXCL: two processes starting together keep one key
            fd = os.open(dev_key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(new_signing_key_pem())
    return _check(dev_key.read_text())


@functools.cache
def _key(pem: str):
    from joserfc.jwk import ECKey, OKPKey

    loaded = serialization.load_pem_private_key(pem.encode(), password=None)
    key_class = OKPKey if isinstance(loaded, ed25519.Ed25519PrivateKey) else ECKey
    return key_class.import_key(pem)


def signing_key():
    """The joserfc private key for settings.CREDENTIAL_SIGNING_KEY (parsed once)."""
    from django.conf import settings

    return _key(settings.CREDENTIAL_SIGNING_KEY)


def signing_algorithm() -> str:
    return "EdDSA" if signing_key().key_type == "OKP" else "ES256"


def key_id() -> str:
    """The RFC 7638 thumbprint: the last part of the key's URL."""
    return signing_key().thumbprint()


def public_jwk(*, kid: str) -> dict:
    jwk = signing_key().as_dict(private=False)
    jwk.update(kid=kid, use="sig", alg=signing_algorithm())
    return jwk


if __name__ == "__main__":  # `python -m credits.certificates.openbadges.keys` prints a new key
    print(new_signing_key_pem(), end="")
