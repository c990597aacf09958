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


def test_crowded_small_targets_hidden_focus_dragging_and_a_closed_password_are_reported(
        blank_page):
    blank_page.set_content(PAGE.replace('<div class="spacer">', (
        '<ol><li draggable="true">Sepsis bundle</li></ol>'
        '<input type="password" name="pin" aria-label="PIN" autocomplete="off">'
        '<div class="spacer">')) % '<a href="/late">Late entry</a>')
    problems = wcag22_problems(blank_page, where="/check")
    assert problems == [
        '/check: 2.5.8 target size: button.tiny "Previous" is 16x16 px, too close to '
        'button.tiny "Next"',
        '/check: 2.5.8 target size: button.tiny "Next" is 16x16 px, too close to '
        'button.tiny "Previous"',
        '/check: 2.4.11 focus obscured: a "Late entry" is hidden under footer.bar "Help"',
        '/check: 2.5.7 dragging: li "Sepsis bundle" is draggable',
        '/check: 3.3.8 authentication: input "PIN" turns autocomplete off',
    ], problems


def test_inline_links_spaced_small_targets_visible_focus_and_a_fillable_password_pass(
        blank_page):
    # Room under the fixed footer, kept clear when a focused control is scrolled into view.
    blank_page.set_content(PAGE.replace('aria-label="Next"', 'aria-label="Next" hidden')
                           .replace("</style>", "html { scroll-padding-bottom: 80px; }"
                                                " body { padding-bottom: 80px; }</style>")
                           .replace('<div class="spacer">', (
                               '<input type="password" name="pin" aria-label="PIN"'
                               ' autocomplete="current-password"><div class="spacer">'))
                           % '<a href="/late">Late entry</a>')
    assert wcag22_problems(blank_page, where="/check") == []
