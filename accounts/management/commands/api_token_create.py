"""Create a service token from the command line, for automation (an identity provider's SCIM
connection, an HR feed): `manage.py api_token_create --scope scim --user office@hospital.org`.

The token is printed once, on standard output alone, so a script can capture it; only its
SHA-256 is stored (decision 0012). `--user` names the administrator it is created by, as on the
service-token page, and the same rules apply.
"""
import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.tokens import SERVICE_SCOPES, service_token_create


class Command(BaseCommand):
    help = "Create a service API token (for example with the scim scope) and print it once."

    def add_arguments(self, parser):
        parser.add_argument("--scope", action="append", required=True,
                            choices=[str(scope) for scope in SERVICE_SCOPES],
                            help="A scope the token holds; repeat for several.")
        parser.add_argument("--user", required=True,
                            help="Email of the administrator creating the token.")
        parser.add_argument("--name", default="",
                            help="What will use the token (default: named after its scopes).")
        parser.add_argument("--expires", type=datetime.date.fromisoformat, default=None,
                            help="Last day the token works, YYYY-MM-DD (default: no expiry).")

    def handle(self, *args, scope, user, name, expires, **options):
        actor = User.objects.filter(email__iexact=user.strip(), is_active=True).first()
        if actor is None:
            raise CommandError(f"No active account has the email {user}.")
        try:
            created = service_token_create(
                actor=actor, name=name or f"{' and '.join(sorted(set(scope)))} integration",
                scopes=scope, expires_on=expires)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stderr.write(f"Created service token “{created.token.name}” "
                          f"({', '.join(created.token.scopes)}). It is shown once: store it now.")
        self.stdout.write(created.secret)
