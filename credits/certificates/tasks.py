"""Celery tasks that render certificates; idempotent by each certificate row's version and lock."""
import logging
from collections import Counter

from celery import shared_task

from credits.certificates import services

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_ATTEMPTS - 1)
def certificate_render(self, certificate_id: int) -> str:
    """Render the certificate's current version once; a duplicate delivery is a no-op."""
    worker = self.request.hostname or ""
    try:
        return services.certificate_render_now(certificate_id=certificate_id)
    except Exception as exc:
        final = self.request.retries >= self.max_retries
        services.certificate_render_failed(certificate_id=certificate_id, worker=worker,
                                           final=final, error=f"{type(exc).__name__}: {exc}")
        logger.exception("Rendering certificate %s failed (attempt %s)", certificate_id,
                         self.request.retries + 1)
        if final:
            return "failed"
        # Exponential backoff: 10 s, 20 s, 40 s, 80 s.
        raise self.retry(exc=exc, countdown=10 * 2 ** self.request.retries) from exc


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_ATTEMPTS - 1)
def certificate_batch_render(self, certificate_ids: list[int]) -> dict[str, int]:
    """Render several certificates in one transaction (bulk regeneration). A batch that fails
    is rolled back and split: each certificate is queued on its own, where a failure is
    retried and recorded against that certificate alone."""
    try:
        outcomes = services.certificate_batch_render_now(certificate_ids=certificate_ids)
    except Exception:
        logger.exception("Rendering certificates %s together failed; queuing each alone",
                         certificate_ids)
        try:
            for certificate_id in certificate_ids:
                certificate_render.delay(certificate_id)
        except Exception as exc:  # broker down: keep the whole batch for later
            raise self.retry(exc=exc, countdown=10 * 2 ** self.request.retries) from exc
        return {"queued_alone": len(certificate_ids)}
    return dict(Counter(outcomes.values()))


@shared_task
def certificate_renders_recover_tick() -> int:
    """Beat, every minute: queue again the renders lost with a worker or a broker."""
    return services.certificate_renders_recover()
