"""Load demo accounts and content; safe to run again (updates in place)."""
import importlib
import importlib.util

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, seed_accounts

# Each app's demo module exposes seed(people) and runs in this order (courses before credits).
DEMO_MODULES = ["courses.demo", "credits.learning.demo", "credits.online.demo",
                "credits.assignments.demo", "credits.drills.demo"]


class Command(BaseCommand):
    help = "Create or refresh the demo accounts and demo content (local demos only)."

    @transaction.atomic
    def handle(self, *args, **options):
        people = seed_accounts()
        for module_name in DEMO_MODULES:
            if importlib.util.find_spec(module_name) is not None:
                importlib.import_module(module_name).seed(people)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Demo logins (password "
                                             f"'{DEMO_PASSWORD}', demo only):"))
        for role, user in people.items():
            self.stdout.write(f"  {role:<14} {user.email}")
