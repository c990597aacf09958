"""The WCAG 2.2 checks the journeys' audit runs (tests/browser/wcag22.py) fail on what they are
meant to catch and pass what the criteria allow, on one small page each (no server)."""
import pytest

from tests.browser.wcag22 import wcag22_problems

pytestmark = pytest.mark.browser

PAGE = """<!DOCTYPE html><html lang="en"><head><title>Check</title><style>
  body { margin: 0; font: 16px/1.5 sans-serif; }
  .tiny { width: 16px; height: 16px; padding: 0; border: 0; }
  .bar { position: fixed; bottom: 0; left: 0; right: 0; height: 80px; background: #fff; }
  .spacer { height: 2000px; }
</style></head><body>
  <p>Read <a href="/policy">the policy</a> before the shift.</p>
  <div><button class="tiny" aria-label="Previous">&lt;</button><button class="tiny"
    aria-label="Next">&gt;</button></div>
  <div style="margin-top: 40px"><button class="tiny" aria-label="Close">x</button></div>
  <div class="spacer"></div>
  %s
  <footer class="bar"><a href="/help">Help</a></footer>
</body></html>"""


@pytest.fixture
def blank_page(chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


def test_small_crowded_targets_and_a_control_under_a_fixed_footer_are_reported(blank_page):
    blank_page.set_content(PAGE % '<a href="/late">Late entry</a>')
    problems = wcag22_problems(blank_page, where="/check")
    assert sorted(problems) == [
        '/check: 2.4.11 focus obscured: a "Late entry" is hidden under footer.bar "Help"',
        '/check: 2.5.8 target size: button.tiny "Next" is 16x16 px, too close to '
        'button.tiny "Previous"',
        '/check: 2.5.8 target size: button.tiny "Previous" is 16x16 px, too close to '
        'button.tiny "Next"',
    ], problems


def test_inline_links_spaced_small_targets_and_visible_focus_pass(blank_page):
    # Room under the fixed footer, kept clear when a focused control is scrolled into view.
    blank_page.set_content(PAGE.replace('aria-label="Next"', 'aria-label="Next" hidden')
                           .replace("</style>", "html { scroll-padding-bottom: 80px; }"
                                                " body { padding-bottom: 80px; }</style>")
                           % '<a href="/late">Late entry</a>')
    assert wcag22_problems(blank_page, where="/check") == []
