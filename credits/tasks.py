"""The credits app's Celery tasks live in its feature packages; Celery's autodiscovery looks
for `credits.tasks`, so each package's tasks module is imported here."""
from credits.boards import tasks as board_tasks  # noqa: F401
from credits.certificates import tasks as certificate_tasks  # noqa: F401
from credits.drills import tasks as drill_tasks  # noqa: F401
from credits.learning import tasks as learning_tasks  # noqa: F401
from credits.reports import tasks as report_tasks  # noqa: F401
