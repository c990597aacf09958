"""ACCME PARS and CE Broker web-service reporting for the CME office (administrators only)."""
import datetime

from credits.webservices.models import Submission
from tests.authz_rows import Row
from tests.factories import CourseFactory

ADMINISTRATORS_ONLY = {"anonymous": "login", "clinician": 403, "other_clinician": 403,
                       "educator": 403}


def objects(world):
    rejected = Submission.objects.create(
        service="ce_broker", kind="ceb_roster", course=CourseFactory(title="Sepsis recognition"),
        user=world["clinician"], status="rejected", fix_by="learner",
        message="License not found for profession RN in FL.", due_on=datetime.date.today())
    return {"web_submission": rejected}


ROWS: dict[str, Row] = {
    "board-reporting/web-services/": Row({**ADMINISTRATORS_ONLY, "administrator": 200}),
    "board-reporting/web-services/<int:submission_id>/resubmit/": Row(
        {**ADMINISTRATORS_ONLY, "administrator": "redirect"}, method="post",
        kwargs=lambda w: {"submission_id": w["web_submission"].pk}),
}
