"""Load demo accounts and content; safe to run again (updates in place)."""
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, seed_accounts


class Command(BaseCommand):
    help = "Create or refresh the demo accounts and demo catalog (local demos only)."

    @transaction.atomic
    def handle(self, *args, **options):
        people = seed_accounts()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Demo logins (password "
                                             f"'{DEMO_PASSWORD}', demo only):"))
        for role, user in people.items():
            self.stdout.write(f"  {role:<14} {user.email}")
