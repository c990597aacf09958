"""The registry of periodic (beat) tasks, and the scheduler that installs them.

Each app registers its own ticks from its AppConfig.ready (`beat_task_register`), so accounts
does not import the apps above it. Beat runs django-celery-beat's database scheduler; this
subclass adds the registered ticks to `beat_schedule` before it copies them into its tables
(idempotently, by name).
"""
from dataclasses import dataclass

from django_celery_beat.schedulers import DatabaseScheduler


@dataclass(frozen=True)
class BeatTask:
    name: str
    task: str  # the Celery task's name, e.g. "courses.tasks.session_reminders_tick"
    schedule: float  # seconds


BEAT_TASKS: dict[str, BeatTask] = {}


def beat_task_register(*, name: str, task: str, schedule: float) -> None:
    entry = BeatTask(name=name, task=task, schedule=schedule)
    if BEAT_TASKS.get(name, entry) != entry:
        raise ValueError(f"Beat task {name!r} is registered twice, differently.")
    BEAT_TASKS[name] = entry


def beat_schedule() -> dict[str, dict]:
    """The registered ticks in Celery's `beat_schedule` shape."""
    return {entry.name: {"task": entry.task, "schedule": entry.schedule}
            for entry in BEAT_TASKS.values()}


class RegisteredTaskScheduler(DatabaseScheduler):
    def setup_schedule(self):
        self.app.conf.beat_schedule = {**(self.app.conf.beat_schedule or {}), **beat_schedule()}
        super().setup_schedule()
