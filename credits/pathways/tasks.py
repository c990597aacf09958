"""Celery tasks of pathways: render a pathway certificate's PDF (idempotent: a ready
certificate is left alone)."""
from celery import shared_task

from credits.pathways import certificates


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(Exception,),
             retry_backoff=10, max_retries=4)
def pathway_certificate_render(certificate_id: int) -> str:
    return certificates.pathway_certificate_render_now(certificate_id=certificate_id)
