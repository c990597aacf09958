"""Which Celery queue each kind of work goes to: the one place routing is decided.

Every task named in ROUTES goes to the queue of its kind, `<default>-<kind>` (with the default
queue `cpd`: `cpd-email`, `cpd-certificates`, ...); every other task (the beat ticks, which
only scan and hand work out) to the default queue. A worker started without `-Q` consumes all
of them (settings list them all in CELERY_TASK_QUEUES), so `make run` and the embedded default
need one worker; a deployment runs a worker per queue (`-Q cpd-email`) and scales the busy one,
so a long export never holds up an email (docs/operations.md).
"""
from kombu import Exchange, Queue

EMAIL = "email"
CERTIFICATES = "certificates"
EXPORTS = "exports"
BOARD_REPORTING = "board-reporting"
DRILLS = "drills"
IMPORTS = "imports"
KINDS = (EMAIL, CERTIFICATES, EXPORTS, BOARD_REPORTING, DRILLS, IMPORTS)

ROUTES = {
    "accounts.tasks.outgoing_message_batch_send": EMAIL,
    "accounts.pwa.tasks.push_delivery_batch_send": EMAIL,
    "credits.certificates.tasks.certificate_render": CERTIFICATES,
    "credits.certificates.tasks.certificate_batch_render": CERTIFICATES,
    "credits.pathways.tasks.pathway_certificate_render": CERTIFICATES,
    # A completed skills checklist: its PDF of validated competencies and transcript record.
    "credits.checklists.tasks.checklist_record_issue": CERTIFICATES,
    "credits.reports.tasks.export_run_build": EXPORTS,
    "credits.boards.tasks.cpe_monitor_submit": BOARD_REPORTING,
    "credits.webservices.tasks.submission_send": BOARD_REPORTING,
    # The morning scan records and hands out up to a million deliveries: its own queue, so a
    # January burst of it waits for no other tick and holds none up.
    "credits.drills.tasks.drill_deliveries_tick": DRILLS,
    # What comes in from outside: a SCORM package unpacked, Zoom and Teams attendance pulled,
    # Zoom registrants made (each waits on another party's server, none on the portal's own).
    "courses.packages.tasks.package_extract": IMPORTS,
    "credits.virtual.tasks.virtual_meeting_pull": IMPORTS,
    "credits.virtual.tasks.meeting_registrants_register": IMPORTS,
}


def queue_name(default_queue: str, kind: str) -> str:
    return f"{default_queue}-{kind}"


def _queue(name: str) -> Queue:
    # Its own exchange and key: a Queue given only a name is bound to the default exchange
    # with the default key, and every message would reach every such queue.
    return Queue(name, Exchange(name, type="direct"), routing_key=name)


def task_queues(default_queue: str) -> tuple[Queue, ...]:
    """The default queue and one per kind, each on a direct exchange of its own name."""
    return (_queue(default_queue), *(_queue(queue_name(default_queue, kind)) for kind in KINDS))


def task_routes(default_queue: str) -> dict[str, dict[str, str]]:
    return {task: {"queue": queue_name(default_queue, kind)} for task, kind in ROUTES.items()}
