from django.apps import AppConfig


class WebServicesConfig(AppConfig):
    name = "credits.webservices"
    label = "webservices"
    verbose_name = "Reporting to ACCME PARS and CE Broker"

    def ready(self) -> None:
        from accounts.beat import beat_task_register
        from accounts.notifications import Category, Kind, kind_register
        from credits.ledger.transcript import transcript_record_notes_register
        from credits.webservices import receivers  # noqa: F401  (claims make submissions)
        from credits.webservices.models import Submission
        from credits.webservices.selectors import submission_notes_for

        kind_register(Kind("credit_report_refused", Category.LICENCE_DEADLINES))
        # Hourly: send what is due, poll the boards' answers on MOC records.
        beat_task_register(name="web-reporting",
                           task="credits.webservices.tasks.web_reporting_tick", schedule=3600.0)
        transcript_record_notes_register(submission_notes_for, depends_on=(Submission,))
