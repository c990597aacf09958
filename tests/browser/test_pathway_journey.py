"""A pathway on a phone: a clinician joins the sepsis champion track, sees the drill locked
behind the module and why, finds the next step first, records her external elective, completes
the rest, and finds the pathway complete; a later version leaves her on hers."""
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from credits.pathways.models import PathwayEnrolment, Step
from credits.pathways.services import (
    pathway_version_publish,
    pathway_version_start,
    step_remove,
)
from tests.browser.conftest import screenshot, sign_in
from tests.credits.certificates.certificate_helpers import tasks_run_in_process  # noqa: F401
from tests.credits.pathways.helpers import claim_credit, complete_module, make_track

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("tasks_run_in_process")]


def test_clinician_walks_a_pathway_on_her_phone(page, live_server, clinician, educator):
    track = make_track(educator, time_limit_days=120)
    sign_in(page, clinician)
    page.goto("/pathways/")
    page.get_by_role("link", name="Sepsis champion track").click()
    expect(page.get_by_text("Unlocks when you complete “Recognising Sepsis Early”.").first
           ).to_be_visible()
    page.get_by_role("button", name="Join this pathway").click()
    expect(page.get_by_text("0 of 4 steps done")).to_be_visible()
    next_step = page.get_by_role("region", name="Your next step").locator("strong")
    expect(next_step).to_have_text("Sepsis Grand Rounds: the first hour")
    expect(page.locator(f"#step-{track.drill_step.pk}").get_by_text("Locked")).to_be_visible()
    screenshot(page, "pathway-01-joined-phone")

    # The module and the grand rounds are done the way their own journeys do them.
    complete_module(clinician, track.module)
    claim_credit(clinician, track.live)
    page.reload()
    expect(page.locator(f"#step-{track.drill_step.pk}").get_by_text("To do")).to_be_visible()
    expect(next_step).to_have_text("Sepsis Bundle Drill")

    # The elective she did outside the portal, recorded from the page.
    external = page.locator(f"#step-{track.external_step.pk}")
    external.get_by_text("Record that you completed it").click()
    external.get_by_label("Completed on").fill(timezone.localdate().isoformat())
    external.get_by_label("Where and with whom").fill("Regional simulation centre")
    external.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Recorded: Sepsis simulation at the regional centre")).to_be_visible()
    expect(page.get_by_text("Not needed: you have completed 1 of this group's 2.")
           ).to_be_visible()
    screenshot(page, "pathway-02-part-way-phone")

    page.goto("/learning/")
    card = page.locator("section", has=page.get_by_role("heading", name="Your pathways"))
    expect(card.get_by_text("3 of 4 steps done")).to_be_visible()
    expect(card.get_by_role("link", name="Sepsis Bundle Drill")).to_be_visible()
    screenshot(page, "pathway-03-my-learning-phone")

    claim_credit(clinician, track.drill)
    page.goto(f"/pathways/{track.pathway.slug}/")
    expect(page.get_by_text("You completed this pathway on")).to_be_visible()
    enrolment = PathwayEnrolment.objects.get(user=clinician)
    assert enrolment.status == "completed"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download certificate").click()
    assert download.value.suggested_filename.startswith("pathway-certificate-")
    with page.expect_download() as download:
        page.get_by_role("link", name="Digital credential (Open Badge)").click()
    assert download.value.suggested_filename.endswith(".jwt")
    # The code printed under the buttons is what a board types into "Verify a certificate".
    page.goto(f"/certificates/verify/?code={enrolment.certificate.code_display}")
    expect(page.get_by_text("This pathway certificate was issued by")).to_be_visible()
    expect(page.get_by_text("Complete 1 of the 2 steps of “Choose one elective”")
           ).to_be_visible()
    screenshot(page, "pathway-05-verified-phone")
    page.goto(f"/pathways/{track.pathway.slug}/")

    # A later version without the drill: she stays on hers and is told.
    draft = pathway_version_start(pathway=track.pathway)
    step_remove(step=draft.steps.get(kind=Step.Kind.DRILL))
    pathway_version_publish(version=draft)
    page.reload()
    expect(page.get_by_text("A newer version has been published; you keep the one you "
                            "started.")).to_be_visible()
    expect(page.get_by_text("on version 1")).to_be_visible()
    screenshot(page, "pathway-04-complete-phone")
