from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


def _reference_rules_ensure(sender, **kwargs) -> None:
    # Also runs after a test database flush, which empties what the data migration created.
    from credits.requirements.rules import reference_rules_ensure

    reference_rules_ensure()
    evaluation_default_questions_ensure()


def evaluation_default_questions_ensure(**kwargs) -> None:
    from credits.evaluations.services import evaluation_default_questions_ensure as ensure

    ensure()


def _course_first_save(sender, *, created: bool, raw: bool = False, **kwargs) -> None:
    # A new course's evaluation uses the default set unless it gets questions of its own.
    if created and not raw:
        evaluation_default_questions_ensure()


class CreditsConfig(AppConfig):
    """The credits app: one label and one set of tables for its feature packages (the list and
    their layers: docs/architecture.md; online keeps its own label and migrations)."""

    name = "credits"
    verbose_name = "Credits, certificates and reports"

    def ready(self) -> None:
        from accounts.beat import beat_task_register
        from accounts.notifications import kind_register
        from courses.lessons.models import Lesson, LessonAttachment
        from courses.packages.models import ContentPackage
        from courses.questions.models import PostTest, Question
        from courses.selectors.catalog import course_next_step_selector_register
        from courses.selectors.educator import my_courses_figure_register
        from credits.assignments import receivers as assignment_receivers  # noqa: F401
        from credits.assignments.selectors import assigned_user_ids
        from credits.attendance.models import Attendance
        from credits.attendance.selectors import attendance_taken_for_last_past_session
        from credits.boards import receivers as board_receivers  # noqa: F401  (reports follow)
        from credits.boards.models import BoardReport
        from credits.boards.selectors import board_notes_for
        from credits.certificates import receivers  # noqa: F401  (certificates follow credit)
        from credits.certificates.models import Certificate
        from credits.certificates.selectors import certificate_by_course_for_learner
        from credits.drills.required import drill_required_checker_register
        from credits.evaluations.models import EvaluationResponse
        from credits.learning.selectors import course_next_step_for
        from credits.ledger.models import CreditRecord
        from credits.ledger.transcript import (
            transcript_certificate_lookup_register,
            transcript_record_notes_register,
        )
        from credits.notifications import EMAIL_KINDS
        from credits.online.models import (
            ExtraAttemptGrant,
            LessonView,
            ModuleProgress,
            PostTestAttempt,
        )
        from credits.online.scorm.models import ScoAttempt

        post_migrate.connect(_reference_rules_ensure, sender=self)
        post_save.connect(_course_first_save, sender="courses.Course",
                          dispatch_uid="evaluation_defaults_on_course_first_save")
        kind_register(*EMAIL_KINDS)
        beat_task_register(name="drill-deliveries",
                           task="credits.drills.tasks.drill_deliveries_tick", schedule=300.0)
        beat_task_register(name="learning-reminders",
                           task="credits.learning.tasks.learning_reminders_tick", schedule=300.0)
        # Hourly: new group members (sign-ups), completions, annual periods, reminders.
        beat_task_register(name="assignments",
                           task="credits.assignments.tasks.assignments_tick",
                           schedule=3600.0)
        beat_task_register(name="certificate-renders",
                           task="credits.certificates.tasks.certificate_renders_recover_tick",
                           schedule=60.0)
        beat_task_register(name="board-reports",
                           task="credits.boards.tasks.board_reports_tick", schedule=3600.0)
        transcript_record_notes_register(board_notes_for, depends_on=(BoardReport,))
        drill_required_checker_register(assigned_user_ids)
        # The viewer's attendance, claims and online progress, and the course's lessons and
        # post-test and SCORM package, which the next step of an online module counts.
        course_next_step_selector_register(course_next_step_for, depends_on=(
            Attendance, EvaluationResponse, CreditRecord, Certificate, ModuleProgress, LessonView,
            PostTestAttempt, ExtraAttemptGrant, Lesson, LessonAttachment, PostTest, Question,
            ContentPackage, ScoAttempt))
        transcript_certificate_lookup_register(certificate_by_course_for_learner,
                                               depends_on=(Certificate,))
        my_courses_figure_register(name="attendance_taken",
                                   expression=attendance_taken_for_last_past_session)
