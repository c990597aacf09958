"""Reports under /reports/ (administrators only) and the course director's roster download."""
from credits.models import ExportRun
from tests.authz_rows import Row
from tests.factories import CourseFactory

ADMINISTRATORS_ONLY = {"anonymous": "login", "clinician": 403, "other_clinician": 403,
                       "educator": 403, "administrator": 200}


def objects(world):
    directed = CourseFactory(title="Simulation drills")
    directed.directors.add(world["educator"])
    run = ExportRun.objects.create(
        exporter="credit_report", filters={}, filters_summary="no filters", format="csv",
        delivery=ExportRun.Delivery.BACKGROUND, requested_by=world["administrator"],
        status=ExportRun.Status.QUEUED)
    return {"roster_course": directed, "export_run": run}


def _run(world):
    return {"run_id": world["export_run"].pk}


ROWS: dict[str, Row] = {
    "reports/": Row(ADMINISTRATORS_ONLY),
    "reports/history/": Row(ADMINISTRATORS_ONLY),
    "reports/history.csv": Row(ADMINISTRATORS_ONLY),
    "reports/<slug:identifier>/": Row(ADMINISTRATORS_ONLY,
                                      kwargs=lambda w: {"identifier": "credit_report"}),
    "reports/runs/<int:run_id>/": Row(ADMINISTRATORS_ONLY, kwargs=_run),
    "reports/runs/<int:run_id>/progress/": Row(ADMINISTRATORS_ONLY, kwargs=_run),
    # A queued run has no file yet: administrators get 404, everyone else never gets that far.
    "reports/runs/<int:run_id>/download/": Row(
        {**ADMINISTRATORS_ONLY, "administrator": 404}, kwargs=_run),
    # Only the course's directors; everyone else, administrators included, gets 404.
    "educator/courses/<int:course_id>/roster.csv": Row(
        {"anonymous": "login", "clinician": 404, "other_clinician": 404, "educator": 200,
         "administrator": 404},
        kwargs=lambda w: {"course_id": w["roster_course"].pk}),
}

