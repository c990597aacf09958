"""Journey 3 on a phone: a clinician starts the demo's online module, reads every lesson, fails
the post-test once and reads the rationales, passes, evaluates, claims and downloads the
certificate, with no session involved."""
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import Course
from courses.questions.models import Question
from cpd_portal.demo import online, people
from cpd_portal.demo.context import Demo
from tests.browser.conftest import fill_default_evaluation, screenshot
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    """The certificate render runs where the claim commits; the live server reads the storage."""
    from cpd_portal.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _answer(page, course, *, correctly: bool) -> None:
    for question in Question.objects.filter(course=course).prefetch_related("options"):
        group = page.locator("fieldset", has_text=question.stem)
        picks = [o for o in question.options.all() if o.is_correct == correctly]
        for option in picks if correctly else picks[:1]:
            group.get_by_text(option.text, exact=True).click()


def test_clinician_completes_the_online_module_and_downloads_the_certificate(page, clinician):
    demo = Demo(now=timezone.now())
    people.seed(demo)
    online.seed(demo)
    course = Course.objects.get(title=online.TITLE)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(clinician.email)
    page.get_by_label("Password:").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto(course.get_absolute_url())
    page.get_by_role("button", name="Start").click()

    lesson_titles = [title for title, _minutes, _body in online.LESSONS]
    expect(page.get_by_role("heading", name=lesson_titles[0], level=1)).to_be_visible()
    screenshot(page, "online-01-first-lesson")
    for title in lesson_titles[1:]:
        page.get_by_role("link", name=f"Next: {title}").click()
        expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
        if title == lesson_titles[1]:
            expect(page.get_by_role("img", name="Workflow before every opioid")).to_be_visible()
            screenshot(page, "online-01b-lesson-with-diagram")
    page.get_by_role("link", name="Take the post-test").click()
    page.get_by_role("button", name="Start the post-test").click()

    _answer(page, course, correctly=False)
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("Not passed")).to_be_visible()
    expect(page.get_by_text("2 attempts left")).to_be_visible()
    expect(page.locator(".rationale").first).to_be_visible()
    screenshot(page, "online-02-failed-attempt-with-rationales")

    page.get_by_role("button", name="Try again").click()
    _answer(page, course, correctly=True)
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("You passed")).to_be_visible()
    page.get_by_role("link", name="Continue to the evaluation and your credit").first.click()

    page.locator(".action-card").get_by_role("link", name="Evaluate").click()
    fill_default_evaluation(page, change="Check MassPAT and offer naloxone.")
    expect(page.get_by_text("your evaluation is recorded")).to_be_visible()

    expect(page.get_by_label("AMA PRA Category 1 Credits™")).to_have_value("2.00")
    page.get_by_label("I attest that the credit I claim").check()
    page.get_by_role("button", name="Claim credit").click()
    expect(page.locator(".transcript-table")).to_contain_text(course.title)

    page.goto(course.get_absolute_url())
    download_link = page.locator(".action-card").get_by_role("link",
                                                             name="Download certificate")
    expect(download_link).to_be_visible()
    screenshot(page, "online-03-course-page-certificate")
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename.endswith(".pdf")
