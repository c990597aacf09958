from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _standard_topics_ensure(sender, **kwargs) -> None:
    # Also runs after a test database flush, which empties what the data migration created.
    from courses.topics import standard_topics_ensure

    standard_topics_ensure()


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses and enrolment"

    def ready(self) -> None:
        from accounts.beat import beat_task_register
        from accounts.notifications import kind_register
        from courses.notifications import EMAIL_KINDS
        from courses.session_dates import connect_session_dates

        post_migrate.connect(_standard_topics_ensure, sender=self)
        connect_session_dates()
        kind_register(*EMAIL_KINDS)
        beat_task_register(name="session-reminders", task="courses.tasks.session_reminders_tick",
                           schedule=60.0)
        beat_task_register(name="course-session-dates",
                           task="courses.tasks.course_session_dates_tick", schedule=60.0)
