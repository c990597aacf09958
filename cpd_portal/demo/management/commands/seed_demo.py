"""Load the demo people, activities and their history; safe to run again (see demo.seed).

Refused with DEBUG off, where it would publish logins with a password printed in the README,
unless --allow-production is given: then it first prints everything it will create.
"""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cpd_portal.demo.people import DEMO_PASSWORD
from cpd_portal.demo.seed import demo_plan, demo_seed

REFUSED = ("seed_demo creates sign-in accounts (admin@example.org among them) with the password "
           f"'{DEMO_PASSWORD}', published in the README. DEBUG is off, so this looks like a "
           "production portal: nothing was created. Run it on a local or demo portal (DEBUG=1), "
           "or add --allow-production if you really mean this portal; it prints what it will "
           "create first.")


class Command(BaseCommand):
    help = "Create or refresh the demo people, activities and history (local demos only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production", action="store_true",
            help="Seed even with DEBUG off, after printing the accounts and courses it creates.")

    def handle(self, *args, allow_production: bool, **options):
        if not settings.DEBUG:
            if not allow_production:
                raise CommandError(REFUSED)
            self._plan_print()
        demo = demo_seed()
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready. Demo logins (password '{DEMO_PASSWORD}', demo only):"))
        for role, user in demo.people.items():
            self.stdout.write(f"  {role:<14} {user.email}")

    def _plan_print(self) -> None:
        plans = demo_plan()
        write = self.stdout.write
        write(self.style.WARNING(
            f"DEBUG is off. Every account below that signs in has the password '{DEMO_PASSWORD}', "
            "which is published in the README: change or deactivate them after the demo."))
        write("Accounts:")
        for account in (account for plan in plans for account in plan.accounts):
            how = "signs in" if account.signs_in else "no password"
            write(f"  {account.email:<38} {account.full_name:<22} {account.role} ({how})")
        write("Activities (published, with their sessions and history):")
        for title in (title for plan in plans for title in plan.courses):
            write(f"  {title}")
        for note in (note for plan in plans for note in plan.notes):
            write(self.style.WARNING(note))
