"""Extracting an uploaded package's files into storage (idempotent by the version's status)."""
import logging

from celery import shared_task

from courses.packages import services

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 3


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_ATTEMPTS - 1)
def package_extract(self, package_id: int) -> str:
    try:
        return services.package_extract_now(package_id=package_id)
    except Exception as exc:
        final = self.request.retries >= self.max_retries
        services.package_extract_failed(package_id=package_id, final=final,
                                        error=f"{type(exc).__name__}: {exc}")
        logger.exception("Extracting package %s failed (attempt %s)", package_id,
                         self.request.retries + 1)
        if final:
            return "failed"
        raise self.retry(exc=exc, countdown=10 * 2 ** self.request.retries) from exc
