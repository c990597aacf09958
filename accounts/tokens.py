"""API access tokens: create (shown once), revoke, and look up a presented token.

A token is `cpd_<kind letter>_<43 url-safe characters>` (256 random bits); only its SHA-256 is
stored. A fast hash is right here, unlike for passwords: the secret is random, so there is no
dictionary to try, and the look-up runs on every API call. Last use is written at most once per
LAST_USED_STEP per token (a conditional UPDATE), not on every call.
"""
import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from .models import AccessToken, User

LAST_USED_STEP = datetime.timedelta(minutes=5)
PERSONAL_SCOPES = [AccessToken.Scope.PROFILE, AccessToken.Scope.TRANSCRIPT,
                   AccessToken.Scope.CERTIFICATES, AccessToken.Scope.REQUIREMENTS,
                   AccessToken.Scope.CATALOG]
SERVICE_SCOPES = [AccessToken.Scope.REPORTS, AccessToken.Scope.CATALOG,
                  AccessToken.Scope.SCIM]
_PREFIX = {AccessToken.Kind.PERSONAL: "cpd_p_", AccessToken.Kind.SERVICE: "cpd_s_"}
MAX_PER_OWNER = 20


@dataclass
class CreatedToken:
    token: AccessToken
    secret: str  # the plain token: give it to the person once, never store it


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _create(*, kind: str, user: User | None, name: str, scopes: list[str],
            expires_on: datetime.date | None, created_by: User) -> CreatedToken:
    name = (name or "").strip()
    if not name:
        raise ValidationError("Give the token a name, for example the system that will use it.")
    allowed = PERSONAL_SCOPES if kind == AccessToken.Kind.PERSONAL else SERVICE_SCOPES
    scopes = sorted(set(scopes))
    if not scopes:
        raise ValidationError("Choose at least one scope: what the token may read.")
    if not_allowed := [s for s in scopes if s not in allowed]:
        raise ValidationError(
            f"A {AccessToken.Kind(kind).label.lower()} token cannot have the scope "
            f"{', '.join(not_allowed)}.")
    expires_at = None
    if expires_on is not None:
        if expires_on <= timezone.localdate():
            raise ValidationError("The expiry date must be in the future.")
        expires_at = timezone.make_aware(
            datetime.datetime.combine(expires_on + datetime.timedelta(days=1), datetime.time()))
    secret = _PREFIX[kind] + secrets.token_urlsafe(32)
    with transaction.atomic():
        if user is not None:
            # Serialise one owner's creations so the limit holds under a double submit.
            User.objects.select_for_update().filter(pk=user.pk).first()
            if access_tokens_active_for(user=user).count() >= MAX_PER_OWNER:
                raise ValidationError(f"You already have {MAX_PER_OWNER} active tokens; revoke "
                                      "one you no longer use first.")
        token = AccessToken.objects.create(
            kind=kind, user=user, name=name[:100], scopes=scopes, prefix=secret[:12],
            token_hash=token_hash(secret), created_by=created_by, expires_at=expires_at)
    return CreatedToken(token=token, secret=secret)


def personal_token_create(*, user: User, name: str, scopes: list[str],
                          expires_on: datetime.date | None = None) -> CreatedToken:
    return _create(kind=AccessToken.Kind.PERSONAL, user=user, name=name, scopes=scopes,
                   expires_on=expires_on, created_by=user)


def service_token_create(*, actor: User, name: str, scopes: list[str],
                         expires_on: datetime.date | None = None) -> CreatedToken:
    if not actor.is_administrator:
        raise ValidationError("Only the CME office can create service tokens.")
    return _create(kind=AccessToken.Kind.SERVICE, user=None, name=name, scopes=scopes,
                   expires_on=expires_on, created_by=actor)


def access_token_revoke(*, token: AccessToken, actor: User) -> AccessToken:
    """Revoke at once; revoking twice keeps the first revocation."""
    AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor)
    token.refresh_from_db()
    return token


def access_token_authenticate(*, secret: str) -> AccessToken | None:
    """The active token for a presented secret (owner loaded), or None; records its last use."""
    if not secret.startswith(tuple(_PREFIX.values())) or len(secret) > 100:
        return None
    now = timezone.now()
    token = (AccessToken.objects.select_related("user")
             .filter(token_hash=token_hash(secret)).first())
    if token is None or not token.is_active_at(now):
        return None
    if token.user is not None and not token.user.is_active:
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_STEP:
        AccessToken.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_STEP),
            pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def access_tokens_active_for(*, user: User) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()),
        user=user, revoked_at__isnull=True)


def access_tokens_for(*, user: User) -> QuerySet[AccessToken]:
    """A person's tokens, active first, then expired and revoked ones (kept for the record)."""
    return AccessToken.objects.filter(user=user).order_by(
        F("revoked_at").asc(nulls_first=True), "-created_at", "-pk")


def service_tokens() -> QuerySet[AccessToken]:
    return (AccessToken.objects.filter(kind=AccessToken.Kind.SERVICE)
            .select_related("created_by")
            .order_by(F("revoked_at").asc(nulls_first=True), "-created_at", "-pk"))
