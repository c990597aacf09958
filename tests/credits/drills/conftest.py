"""The outage tests' own redis-server broker, shared with the session-reminder outage test."""
from tests.courses.test_reminders_outage import outage_broker  # noqa: F401  (a fixture)
