"""Evaluation, claim, evaluation results, transcript and external credits."""
from decimal import Decimal

from django.core.files.base import ContentFile

from credits.ledger.external import external_activity_create
from tests.authz_rows import Row, owner_only, signed_in
from tests.credits.claim_world import attended_course

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

DIRECTORS_AND_ADMINISTRATORS = {"anonymous": "login", "clinician": 403, "other_clinician": 403,
                                "educator": 200, "administrator": 200}


def objects(world):
    course = attended_course(world["clinician"], directors=[world["educator"]])
    activity = external_activity_create(
        user=world["clinician"], provider="ACP", title="Board review", completed_on="2026-10-01",
        credit_type="ama_pra_1", amount=Decimal("2.00"), topics=[],
        certificate=ContentFile(PDF_BYTES, name="board-review.pdf"),
        certificate_mime="application/pdf")
    return {"attended_course": course, "external_activity": activity}


ROWS: dict[str, Row] = {
    # Only the clinician whose attendance is recorded has an evaluation or a claim page.
    "courses/<slug:slug>/evaluation/": Row(owner_only(200),
                                           kwargs=lambda w: {"slug": w["attended_course"].slug}),
    "courses/<slug:slug>/claim/": Row(owner_only(200),
                                      kwargs=lambda w: {"slug": w["attended_course"].slug}),
    "educator/courses/<int:course_id>/evaluation/results/": Row(
        DIRECTORS_AND_ADMINISTRATORS,
        kwargs=lambda w: {"course_id": w["attended_course"].pk}),
    # Everyone signed in has their own transcript; nobody sees another's.
    "transcript/": Row(signed_in(200)),
    "transcript/transcript.pdf": Row(signed_in(200)),
    "transcript/transcript.csv": Row(signed_in(200)),
    "transcript/external/new/": Row(signed_in(200)),
    "transcript/external/<int:pk>/certificate/": Row(
        {**owner_only(200), "administrator": 200},
        kwargs=lambda w: {"pk": w["external_activity"].pk}),
}
