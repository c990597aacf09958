"""The hook through which the one "Verify a certificate" page finds certificates other packages
issue (a pathway's): each registered lookup takes a normalised code and returns the path of its
own verification page, or None."""
from collections.abc import Callable

VerificationLookup = Callable[[str], str | None]
VERIFICATION_LOOKUPS: list[VerificationLookup] = []


def verification_lookup_register(lookup: VerificationLookup) -> None:
    if lookup not in VERIFICATION_LOOKUPS:
        VERIFICATION_LOOKUPS.append(lookup)


def verification_path_elsewhere(code: str) -> str | None:
    for lookup in VERIFICATION_LOOKUPS:
        path = lookup(code)
        if path:
            return path
    return None
