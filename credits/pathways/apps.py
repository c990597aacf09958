from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "credits.pathways"
    label = "pathways"
    verbose_name = "Learning pathways"

    def ready(self) -> None:
        from accounts.notifications import kind_register
        from courses.session_audience import session_audience_register
        from credits.certificates.verification import verification_lookup_register
        from credits.pathways import receivers  # noqa: F401  (completions follow credit)
        from credits.pathways.cohort_sessions import COHORT_SESSIONS
        from credits.pathways.notifications import EMAIL_KINDS
        from credits.pathways.selectors import pathway_certificate_verification_path

        verification_lookup_register(pathway_certificate_verification_path)
        kind_register(*EMAIL_KINDS)
        session_audience_register(COHORT_SESSIONS)
