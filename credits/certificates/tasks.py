"""Celery task that renders a certificate; idempotent by the certificate row's version and lock."""
import logging

from celery import shared_task

from credits.certificates.services import certificate_render_failed, certificate_render_now

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_ATTEMPTS - 1)
def certificate_render(self, certificate_id: int) -> str:
    """Render the certificate's current version once; a duplicate delivery is a no-op."""
    worker = self.request.hostname or ""
    try:
        return certificate_render_now(certificate_id=certificate_id, worker=worker)
    except Exception as exc:
        final = self.request.retries >= self.max_retries
        certificate_render_failed(certificate_id=certificate_id, worker=worker, final=final,
                                  error=f"{type(exc).__name__}: {exc}")
        logger.exception("Rendering certificate %s failed (attempt %s)", certificate_id,
                         self.request.retries + 1)
        if final:
            return "failed"
        # Exponential backoff: 10 s, 20 s, 40 s, 80 s.
        raise self.retry(exc=exc, countdown=10 * 2 ** self.request.retries) from exc
