"""The Celery application: workers and beat load Django settings prefixed CELERY_."""
import os
from pathlib import Path

from celery import Celery, signals

from cpd_portal import replica

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpd_portal.settings")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Feature packages (credits/certificates/, courses/disclosures/, ...) keep their own tasks.py;
# autodiscovery looks for `<package>.tasks` in every package named here.
TASK_PACKAGES = sorted(
    ".".join(path.parent.relative_to(PROJECT_ROOT).parts)
    for app_dir in ("accounts", "courses", "credits")
    for path in (PROJECT_ROOT / app_dir).rglob("tasks.py"))

app = Celery("cpd_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(lambda: TASK_PACKAGES)

# A task reads where the request that queued it would have (read-your-writes, decision 0032).
signals.before_task_publish.connect(replica.task_publishing)
signals.task_prerun.connect(replica.task_starting)
