from django.apps import AppConfig


class VirtualConfig(AppConfig):
    name = "credits.virtual"
    label = "virtual"
    verbose_name = "Zoom and Teams attendance"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from accounts.beat import beat_task_register
        from credits.virtual import receivers

        post_save.connect(receivers.enrolment_saved, sender="courses.Enrolment",
                          dispatch_uid="virtual_registrant_on_enrolment")
        # Registrants for new enrolments missed by a broker outage, and the second pull of each
        # meeting's report (Zoom and Graph fill reports in for a while after the end).
        beat_task_register(name="virtual-meetings",
                           task="credits.virtual.tasks.virtual_meetings_tick", schedule=300.0)
