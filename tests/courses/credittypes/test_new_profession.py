"""A profession the office adds in the admin, with its credit type and licence rule, works for a
learner without a deploy: picked on the profile and on a licence, credited on the claim page,
printed on the certificate and transcript, counted on My learning and reported to CE Broker with
the office's profession code. And the migration keeps every stored profession offered."""
import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.choices import profession_choices
from accounts.forms import LicenceForm, ProfileForm
from accounts.models import Licence, User
from courses.credittypes.models import Profession
from credits.certificates.services import certificate_sync
from credits.ledger.claims import credit_claim
from credits.models import EvaluationResponse
from credits.requirements.selectors import requirement_progress_for
from credits.webservices.models import Submission
from credits.webservices.sending import submission_send
from tests.credits.boards.ce_broker_server import ce_broker_serving
from tests.credits.claim_world import attended_course
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LICENCE = "RRT4455667"
# Test wording: the office types its accreditor's statement.
CRCE_STATEMENT = ("{provider} is approved by the American Association for Respiratory Care. "
                  "This activity awards up to {maximum}.")
EMPTY_FORMSETS = {f"{prefix}-{name}": value for prefix in ("topic_requirements", "changes")
                  for name, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"),
                                      ("MIN_NUM_FORMS", "0"), ("MAX_NUM_FORMS", "1000"))}


@pytest.fixture
def ce_broker(settings):
    with ce_broker_serving(settings, licensees={(LICENCE, "RT", "FL")}) as server:
        yield server


def _office_adds_respiratory_therapists(client, admin_user) -> None:
    """Admin → Professions, → Credit types, → Licence requirement rules: no code."""
    client.force_login(admin_user)
    response = client.post(reverse("admin:credittypes_profession_add"), {
        "name": "Respiratory therapist", "code": "respiratory_therapist", "position": "105",
        "ce_broker_code": "RT"})
    assert response.status_code == 302, response.content.decode()[:3000]
    profession = Profession.objects.get(code="respiratory_therapist")
    response = client.post(reverse("admin:credittypes_credittype_add"), {
        "name": "AARC CRCE", "code": "aarc_crce",
        "accreditor": "American Association for Respiratory Care", "is_active": "on",
        "position": "125", "unit_singular": "CRCE contact hour",
        "unit_plural": "CRCE contact hours", "statement": CRCE_STATEMENT,
        "eligible_professions": [profession.pk], "step": "0.25", "max_per_hour": "",
        "identifier_label": "", "reported_to": "ce_broker", "source_url": "",
        "source_note": "Test wording.", **{key: value for key, value in EMPTY_FORMSETS.items()
                                           if key.startswith("changes")}})
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.post(reverse("admin:credits_requirementset_add"), {
        "name": "Florida respiratory therapist licence renewal", "state": "FL",
        "profession": "respiratory_therapist", "effective_from": "2020-01-01",
        "is_active": "on", "cycle_months": "24", "cycle_anchor": "licence_expiry",
        "total_credits": "24", "live_minimum": "0", "carry_over_maximum": "0",
        "accepted_credit_types": ["aarc_crce"], "source_note": "Test rule.", "source_url": "",
        "source_read_on": "", **EMPTY_FORMSETS})
    assert response.status_code == 302, response.content.decode()[:3000]


def test_a_profession_added_in_the_admin_works_for_its_learner_without_a_deploy(
        client, admin_user, ce_broker, django_capture_on_commit_callbacks):
    _office_adds_respiratory_therapists(client, admin_user)

    # The learner picks it on the profile and on a licence.
    learner = UserFactory(full_name="Rosa Tran", profession="physician", degree="")
    client.force_login(learner)
    assert '<option value="respiratory_therapist">Respiratory therapist</option>' in (
        client.get(reverse("accounts:profile")).content.decode())
    response = client.post(reverse("accounts:profile"), {
        "full_name": "Rosa Tran", "profession": "respiratory_therapist",
        "time_zone": learner.time_zone, "degree": "", "specialty": "", "npi": "",
        "certifying_board": "", "board_id": "", "nabp_eprofile_id": "", "birth_month": "",
        "birth_day": "", "language": ""})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.profession == "respiratory_therapist"
    assert learner.get_profession_display() == "Respiratory therapist"
    course = attended_course(learner, designations=[("ama_pra_1", "1.50"),
                                                    ("aarc_crce", "1.50")],
                             title="Ventilator weaning")
    completed_on = course.sessions.get().starts_at.date()
    response = client.post(reverse("accounts:licence_add"), {
        "state": "FL", "profession": "respiratory_therapist", "number": LICENCE,
        "expires_on": (completed_on + datetime.timedelta(days=300)).isoformat()})
    assert response.status_code == 302
    assert str(Licence.objects.get(user=learner)) == (
        f"Florida Respiratory therapist licence {LICENCE}")

    # The claim page offers its type, not the physicians'.
    claim_page = client.get(reverse("ledger:claim", args=[course.slug])).content.decode()
    assert "CRCE contact hours" in claim_page
    assert "AMA PRA Category 1 Credit" not in claim_page
    EvaluationResponse.objects.create(user=learner, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        [record] = credit_claim(user=learner, course=course,
                                amounts={"aarc_crce": Decimal("1.50")})

    # The certificate and the transcript print its statement; the transcript its reporting.
    statement = CRCE_STATEMENT.format(provider=settings.HOSPITAL_NAME,
                                      maximum="1.50 CRCE contact hours")
    certificate = certificate_sync(user_id=learner.pk, course_id=course.pk)
    assert certificate.credits[0]["wording"] == "CRCE contact hours"
    assert certificate.credit_statement == statement
    transcript = client.get(reverse("ledger:transcript")).content.decode()
    assert statement in transcript and "To be reported to CE Broker by" in transcript

    # My learning counts it against the rule the office added.
    [progress] = requirement_progress_for(user=learner)
    assert (progress.total.earned, progress.total.required) == (Decimal("1.50"), 24)
    page = client.get(reverse("requirements:progress")).content.decode()
    assert "Florida respiratory therapist licence renewal" in page
    assert "1.5 of 24 credits" in page

    # CE Broker gets the roster line with the office's code for the profession.
    rows = {row.kind: row for row in Submission.objects.filter(course=course)}
    for kind in ("ceb_course", "ceb_publishing", "ceb_roster"):
        assert submission_send(submission_id=rows[kind].pk) == "accepted"
    [line] = ce_broker.roster
    assert (line["license"], line["cd_profession"], line["state"]) == (LICENCE, "RT", "FL")
    assert "Reported to CE Broker on" in client.get(reverse("ledger:transcript")).content.decode()
    assert record.credit_type == "aarc_crce"


def test_a_profession_the_office_has_not_added_is_refused():
    learner = UserFactory()
    form = ProfileForm({"full_name": "A", "profession": "astronaut",
                        "time_zone": learner.time_zone}, instance=learner)
    assert "profession" in form.errors
    licence = LicenceForm({"state": "FL", "profession": "astronaut", "number": "1",
                           "expires_on": "2030-01-01"}, user=learner)
    assert "profession" in licence.errors
    learner.profession = "astronaut"
    with pytest.raises(ValidationError, match="astronaut"):
        learner.full_clean()


def test_the_migration_keeps_every_stored_profession_offered():
    """Migration credittypes.0005 on today's rows: a code a user or licence holds that no
    profession row has (an old import, say) gets a row, so it stays offered and unchanged."""
    migration = importlib.import_module(
        "courses.credittypes.migrations.0005_a_row_for_every_stored_profession")
    holder = UserFactory(profession="dietitian")
    User.objects.filter(pk=holder.pk).update(profession="perfusionist")
    Licence.objects.create(user=holder, state="MA", number="P1", profession="orthoptist",
                           expires_on=datetime.date(2030, 1, 1))
    before = dict(User.objects.values_list("pk", "profession"))
    migration.rows_for_stored_codes(apps, None)
    migration.rows_for_stored_codes(apps, None)  # a second run adds nothing
    assert dict(User.objects.values_list("pk", "profession")) == before
    offered = dict(profession_choices())
    assert offered["perfusionist"] == "perfusionist" and offered["orthoptist"] == "orthoptist"
    assert Profession.objects.filter(code__in=["perfusionist", "orthoptist"]).count() == 2
    # The built-in professions keep their rows, names and CE Broker codes.
    assert offered["nurse"] == "Nurse"
    assert Profession.objects.get(code="nurse").ce_broker_code == "RN"
