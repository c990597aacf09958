"""Journey: a clinician who attended evaluates the activity, claims 1.5 AMA credits and sees
them on the transcript (on a phone-sized screen)."""
import pytest
from playwright.sync_api import expect

from credits.evaluations.selectors import evaluation_questions_for
from credits.evaluations.services import evaluation_submit
from credits.models import CreditRecord
from tests.browser.conftest import screenshot, sign_in_with_session
from tests.credits.claim_world import attended_course
from tests.factories import TEST_PASSWORD, AttendanceFactory, LicenceFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_attended_clinician_evaluates_claims_and_sees_the_transcript(page):
    clinician = UserFactory(full_name="Priya Raman", email="priya@hospital.example",
                            npi="1234567893")
    LicenceFactory(user=clinician)
    attended_course(clinician, title="Sepsis: the first hour", claim_window_days=30,
                    days_ago=2)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("priya@hospital.example")
    page.get_by_label("Password:").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()
    expect(page.locator(".todo-list")).to_contain_text("Evaluate Sepsis: the first hour")
    screenshot(page, "claim-01-my-learning-todo")

    page.get_by_role("link", name="Evaluate Sepsis: the first hour").click()
    expect(page.get_by_role("heading", name="How was this activity?")).to_be_visible()
    for question in ["The content met the stated learning objectives.",
                     "I will change my practice as a result of this activity.",
                     "Overall, how would you rate this activity?"]:
        page.get_by_role("group", name=question).get_by_text("5 · ").click()
    page.get_by_label("What will you change?").fill("Lactate within the first hour.")
    page.get_by_role("group", name="The content was free of commercial bias.").get_by_text(
        "Yes", exact=True).click()
    page.get_by_label("Comments").fill("Excellent cases.")
    screenshot(page, "claim-02-evaluation")
    page.get_by_role("button", name="Submit evaluation").click()

    expect(page.get_by_text("your evaluation is recorded")).to_be_visible()
    expect(page.get_by_text("designates this live activity for a maximum of 1.50")).to_be_visible()
    expect(page.get_by_label("AMA PRA Category 1 Credits™")).to_have_value("1.50")
    expect(page.get_by_text("28 days left to claim")).to_be_visible()
    screenshot(page, "claim-03-claim")
    page.get_by_role("button", name="Claim credit").click()

    expect(page.get_by_role("heading", name="Transcript")).to_be_visible()
    expect(page.get_by_text("Claimed 1.50 AMA PRA Category 1 Credits™")).to_be_visible()
    expect(page.locator(".transcript-totals")).to_contain_text("1.50 AMA PRA Category 1 Credits™")
    expect(page.locator(".transcript-table")).to_contain_text("Sepsis: the first hour")
    screenshot(page, "claim-04-transcript")
    record = CreditRecord.objects.get(user=clinician)
    assert (record.amount, record.credit_type, record.status) == (1.5, "ama_pra_1", "active")

    page.goto("/learning/")
    expect(page.get_by_text("Nothing waiting for you")).to_be_visible()


def test_course_director_sees_evaluation_results_with_a_chart(page, live_server, educator,
                                                            clinician):
    course = attended_course(clinician, title="Sepsis: the first hour", directors=[educator])
    questions = evaluation_questions_for(course=course)
    for rating, person in [(5, clinician), (4, UserFactory()), (4, UserFactory())]:
        if person != clinician:
            AttendanceFactory(session=course.sessions.get(), user=person)
        evaluation_submit(user=person, course=course, answers={
            q.pk: {"rating": rating, "yes_no": True, "text": "Superb faculty",
                   "follow_up_text": "Lactate sooner" if q.follow_up_prompt else ""}
            for q in questions})
    sign_in_with_session(page, live_server, educator)
    page.goto(f"/educator/courses/{course.pk}/evaluation/results/")
    expect(page.get_by_text("3 responses")).to_be_visible()
    expect(page.locator("svg.bar-chart").first).to_be_visible()
    screenshot(page, "claim-05-evaluation-results")


def test_clinician_adds_external_credit_with_a_certificate(page, live_server, clinician,
                                                           tmp_path):
    certificate = tmp_path / "acp-board-review.pdf"
    certificate.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    sign_in_with_session(page, live_server, clinician)
    page.goto("/transcript/")
    page.get_by_role("link", name="Add external credit").click()
    page.get_by_label("Provider").fill("American College of Physicians")
    page.get_by_label("Activity title").fill("Internal medicine board review")
    page.get_by_label("Completion date").fill("2026-10-01")
    page.get_by_label("Credit type").select_option("ama_pra_1")
    page.get_by_label("Amount").fill("2.25")
    page.get_by_label("Certificate:").set_input_files(str(certificate))
    screenshot(page, "claim-06-external-credit")
    page.get_by_role("button", name="Add to my transcript").click()
    expect(page.get_by_text("Added 2.25 AMA PRA Category 1 Credits™")).to_be_visible()
    expect(page.locator(".transcript-table")).to_contain_text("Internal medicine board review")
    expect(page.get_by_role("link", name="Certificate file")).to_be_visible()
