"""Playwright on Debian's Chromium (/usr/bin/chromium) against pytest-django's live server.

Every browser context a journey opens is audited (docs/security.md, docs/accessibility.md):
- the page's Content-Security-Policy is real (no bypass_csp); an init script reports every
  `securitypolicyviolation` on a portal page, and console errors naming the policy are kept;
- every other console error and uncaught error of a portal page is kept, and so is every
  request to the portal that failed or answered 4xx/5xx, unless the journey said it would
  (`browser.expect_failure`; a download's request, aborted by Chromium as it saves, and a
  navigation replaced by the next before it finished are no errors);
- the same init script sends a snapshot of each portal page (at load and after each htmx swap).
At teardown axe-core and the WCAG 2.2 checks axe cannot make (tests/browser/wcag22.py: target
size, focus not obscured, dragging, password autofill) check every snapshot at phone and desktop
widths in a separate context, where the snapshot is served at its own URL with its stylesheets
and no scripts, and the test fails on any CSP violation, any error above, any serious or
critical axe violation and any WCAG 2.2 check's finding, listed readably. Auditing snapshots
afterwards keeps the journey itself undisturbed (no resizing mid-step)."""
import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.browser.wcag22 import wcag22_problems
from tests.conftest import PROJECT_ROOT

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update"]
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))
AXE_JS = PROJECT_ROOT / "tests/browser/axe/node_modules/axe-core/axe.min.js"
AUDIT_WIDTHS = (390, 1280)
FAILING_IMPACTS = ("serious", "critical")
# Django admin is Django's own markup (its split date/time inputs carry no labels, its
# breadcrumbs tell links by colour only): it is held to the CSP, not audited by axe.
AXE_SKIPPED_PATHS = ("/admin/",)

# Runs in every document before the page's own scripts; an init script is not subject to the
# page's CSP, and the binding it calls is Playwright's, so neither weakens the policy under test.
AUDIT_INIT_SCRIPT = """
(() => {
  if (location.origin !== %(origin)s) return;
  const report = (kind, payload) => window.__cpdAudit(kind, payload);
  document.addEventListener("securitypolicyviolation", (event) => report("csp", {
    page: location.href, directive: event.effectiveDirective, blocked: event.blockedURI,
    source: event.sourceFile, line: event.lineNumber, sample: event.sample}));
  const snapshot = () => {
    if (document.contentType !== "text/html") return;
    const doctype = document.doctype ? "<!DOCTYPE html>" : "";
    report("page", {url: location.href, html: doctype + document.documentElement.outerHTML});
  };
  window.addEventListener("load", snapshot);
  document.addEventListener("htmx:afterSettle", snapshot);
})();
"""

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ") + ": "
                              + n.failureSummary.replace(/\\s+/g, " "))}));
}"""

STATIC_PATH = "/static/"
# A step's budget: generous, since a journey shares two cores with two more test workers, their
# browsers and Celery workers; a step that passes costs no more for it.
BROWSER_TIMEOUT_MS = 30_000
# What this worker has audited: the same page (one URL, the same markup but for its CSRF
# tokens) seen by another journey is not audited again; its problems are.
_AUDITED: dict[tuple[str, str], list[str]] = {}
_STATIC_ANSWERS: dict[str, dict] = {}
_PER_REQUEST_VALUES = re.compile(
    r'(csrfmiddlewaretoken" value=")[^"]*|(X-CSRFToken&quot;: ?&quot;)[^&]*')


def _audit_key(html: str, url: str) -> tuple[str, str]:
    return url, _PER_REQUEST_VALUES.sub(r"\1\2", html)


ICON_PATHS = ("/favicon.ico", "/static/img/favicon.svg")


class AuditedBrowser:
    """The Chromium browser, but every context it opens reports CSP violations and pages."""

    def __init__(self, chromium, origin: str):
        self._chromium = chromium
        self.origin = origin
        self.csp_violations: list[str] = []
        self.page_errors: list[str] = []  # console errors and uncaught errors
        self.failed_requests: list[tuple[str, str, int | str]] = []  # method, URL, status
        self.expected_failures: dict[tuple[str, int], bool] = {}  # (path prefix, status): seen
        self.abort_allowed: set[str] = set()  # path prefixes (allow_abort_on_leaving)
        self.downloads: set[str] = set()
        self.snapshots: dict[str, str] = {}  # page HTML -> URL it was served at

    def __getattr__(self, name):
        return getattr(self._chromium, name)

    def new_context(self, **kwargs):
        context = self._chromium.new_context(**kwargs)
        context.expose_binding("__cpdAudit", self._report)
        context.add_init_script(script=AUDIT_INIT_SCRIPT % {"origin": json.dumps(self.origin)})
        context.on("console", self._console)
        context.on("weberror", self._uncaught)
        context.on("response", self._response)
        context.on("requestfailed", self._request_failed)
        context.on("page", lambda page: page.on("download", self._download))
        return context

    def expect_failure(self, path_prefix: str, status: int) -> None:
        """The journey will request a portal path beginning `path_prefix` that rightly answers
        `status` (a forged verification code: 404; a replayed drill answer: 409)."""
        self.expected_failures[(path_prefix, status)] = False

    def allow_abort_on_leaving(self, path_prefix: str) -> None:
        """The journey's page sends `keepalive` requests to paths beginning `path_prefix` as
        it is left: the portal still gets them, but Chromium may report the page's copy as
        aborted. The journey checks what the portal recorded instead."""
        self.abort_allowed.add(path_prefix)

    def _report(self, source, kind: str, payload: dict) -> None:
        if kind == "csp":
            self._violation(f"{payload['page']}: {payload['directive']} blocked "
                            f"{payload['blocked'] or 'inline code'} ({payload['source']}:"
                            f"{payload['line']}) {payload['sample']!r}")
        elif kind == "page" and not urlsplit(payload["url"]).path.startswith(AXE_SKIPPED_PATHS):
            self.snapshots.setdefault(payload["html"], urldefrag(payload["url"]).url)

    def _console(self, message) -> None:
        if (message.type != "error" or not message.page
                or not message.page.url.startswith(self.origin)):
            return
        if "Content Security Policy" in message.text:
            self._violation(f"{message.page.url}: console: {message.text}")
        elif not (message.text.startswith("Failed to load resource")
                  and message.location["url"].startswith(self.origin)):
            # (A portal resource that failed to load is kept, with its method, as a request.)
            self._page_error(f"{message.page.url}: console: {message.text}"
                             f" ({message.location['url']}:{message.location['lineNumber']})")

    def _uncaught(self, web_error) -> None:
        if web_error.page and web_error.page.url.startswith(self.origin):
            self._page_error(f"{web_error.page.url}: uncaught {web_error.error.name}: "
                             f"{web_error.error.message}")

    def _page_error(self, text: str) -> None:
        if text not in self.page_errors:
            self.page_errors.append(text)

    def _response(self, response) -> None:
        if response.url.startswith(self.origin) and response.status >= 400:
            self.failed_requests.append((response.request.method, response.url,
                                         response.status))

    def _request_failed(self, request) -> None:
        # A navigation the journey (or a redirect) replaced before it finished is aborted by
        # Chromium itself: the server answered nothing wrong. A failing server shows as a
        # status (_response) or another net:: error. The same holds for the icon, which the
        # browser fetches on its own after the page and drops when the page is replaced.
        # A request made while the journey has switched the network off (context.set_offline,
        # the offline journey) never reached the server either, and the service worker sends
        # its queue with redirect: "manual", so the redirect it does not follow is no error.
        if (request.url.startswith(self.origin)
                and request.failure != "net::ERR_INTERNET_DISCONNECTED"
                and not (request.failure == "net::ERR_ABORTED" and request.service_worker
                         and request.redirected_from is not None)
                and not (request.failure == "net::ERR_ABORTED"
                         and (request.is_navigation_request()
                              or urlsplit(request.url).path.startswith(ICON_PATHS)))):
            self.failed_requests.append((request.method, request.url, request.failure))

    def _download(self, download) -> None:
        self.downloads.add(download.url)

    def errors(self) -> list[str]:
        """Console and uncaught errors, then portal requests that failed unexpectedly, then
        expected failures that never came."""
        errors = list(self.page_errors)
        for method, url, status in self.failed_requests:
            # A navigation that became a download ends "aborted", or "failed" when the service
            # worker fetched it for the page; the download itself arrived (the journey reads it).
            if status in ("net::ERR_ABORTED", "net::ERR_FAILED") and url in self.downloads:
                continue
            if status == "net::ERR_ABORTED" and urlsplit(url).path.startswith(
                    tuple(self.abort_allowed)):
                continue
            expected = [key for key in self.expected_failures
                        if urlsplit(url).path.startswith(key[0]) and status == key[1]]
            for key in expected:
                self.expected_failures[key] = True
            if not expected:
                errors.append(f"{method} {url} answered {status}")
        errors += [f"expected {path} to answer {status}; it never did"
                   for (path, status), seen in self.expected_failures.items() if not seen]
        return list(dict.fromkeys(errors))

    def _violation(self, text: str) -> None:
        if text not in self.csp_violations:
            self.csp_violations.append(text)

    def accessibility_problems(self) -> list[str]:
        """axe-core on every snapshot at each audit width (serious and critical violations),
        then the WCAG 2.2 checks axe cannot make (tests/browser/wcag22.py)."""
        if not AXE_JS.exists():
            pytest.fail(f"axe-core is missing ({AXE_JS}): `make test` installs it with npm ci")
        axe_source = AXE_JS.read_text(encoding="utf-8")
        context = self._chromium.new_context(base_url=self.origin)
        # Given once to the context rather than sent with every snapshot: the renderer keeps
        # its compiled copy. The top document only: a package's frame is not audited.
        context.add_init_script(script=f"if (window === window.top) {{\n{axe_source}\n}}")
        page = context.new_page()
        serving = {}

        def serve_snapshot(route):
            request = route.request
            if request.is_navigation_request() and request.url == serving["url"]:
                route.fulfill(status=200, content_type="text/html; charset=utf-8",
                              body=serving["html"])
            elif request.resource_type == "script":
                # The snapshot already holds what the scripts did; running them again could
                # poll or post.
                route.fulfill(status=200, content_type="text/javascript", body="")
            elif urlsplit(request.url).path.startswith(STATIC_PATH):
                # Routing turns the browser's cache off: the stylesheets, fonts and icons every
                # snapshot asks for come from this worker's own copy after the first fetch.
                if request.url not in _STATIC_ANSWERS:
                    fetched = route.fetch()
                    _STATIC_ANSWERS[request.url] = {"status": fetched.status,
                                                    "headers": fetched.headers,
                                                    "body": fetched.body()}
                route.fulfill(**_STATIC_ANSWERS[request.url])
            else:
                route.continue_()

        page.route("**/*", serve_snapshot)
        problems = []
        try:
            for html, url in self.snapshots.items():
                if (seen := _AUDITED.get(_audit_key(html, url))) is not None:
                    problems += seen
                    continue
                found_before = len(problems)
                serving.update(url=url, html=html)
                page.set_viewport_size({"width": AUDIT_WIDTHS[0], "height": 844})
                page.goto(url)
                path = urlsplit(url).path + (f"?{urlsplit(url).query}"
                                             if urlsplit(url).query else "")
                for width in AUDIT_WIDTHS:
                    page.set_viewport_size({"width": width, "height": 844})
                    for violation in page.evaluate(AXE_RUN):
                        if violation["impact"] in FAILING_IMPACTS:
                            nodes = "\n      ".join(violation["nodes"][:5])
                            problems.append(f"{path} at {width}px: {violation['impact']} "
                                            f"{violation['id']} ({violation['help']})\n"
                                            f"      {nodes}")
                    problems += wcag22_problems(page, where=f"{path} at {width}px")
                _AUDITED[_audit_key(html, url)] = problems[found_before:]
        finally:
            context.close()
        return list(dict.fromkeys(problems))

    def check(self) -> None:
        failures = []
        if self.csp_violations:
            failures.append("Content-Security-Policy violations:\n  "
                            + "\n  ".join(self.csp_violations))
        if errors := self.errors():
            failures.append("Errors in the browser:\n  " + "\n  ".join(errors))
        problems = self.accessibility_problems()
        if problems:
            failures.append(f"Accessibility: {len(problems)} problem(s) (axe-core serious or "
                            f"critical, WCAG 2.2 checks) in {len(self.snapshots)} page(s) "
                            f"audited:\n  " + "\n  ".join(problems))
        if failures:
            pytest.fail("\n\n".join(failures), pytrace=False)


@pytest.fixture(scope="session")
def chromium():
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian's Chromium is missing: apt-get install chromium (see .ci/run)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=BROWSER_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser(chromium, live_server):
    """Chromium for one test; at teardown the CSP and accessibility audit of what it saw."""
    audited = AuditedBrowser(chromium, live_server.url)
    yield audited
    audited.check()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    """Keep a picture of each step under var/screenshots for people reviewing the journey."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / f"{name}.png", full_page=True)


def sign_in(page, user) -> None:
    """A clinician's sign-in: the factories' password, no second factor."""
    from tests.factories import TEST_PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password:").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    _wait_until_signed_in(page)


def _wait_until_signed_in(page) -> None:
    """Signed in once the redirect has left the sign-in pages: a goto before that races the
    sign-in's own navigation and can land, cookie-less, back on the sign-in form."""
    page.wait_for_url(lambda url: "/accounts/" not in url)


def sign_in_staff(page, person) -> None:
    """An educator's or the office's sign-in: password, then the authenticator's code (the
    people fixtures' TOTP secret)."""
    from tests.factories import TEST_PASSWORD
    from tests.totp import totp_code

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password:").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").fill(totp_code("JBSWY3DPEHPK3PXP"))
    page.get_by_role("button", name="Sign In").click()
    _wait_until_signed_in(page)


def sign_in_with_session(page, live_server, user) -> None:
    """A Django session made on the server side, for a journey whose subject is not the sign-in
    (staff would otherwise type a TOTP code each time)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                               "url": live_server.url}])


def fill_default_evaluation(page, *, change: str) -> None:
    """Answer the ACCME-style default evaluation and submit it."""
    for question in ["The content met the stated learning objectives.",
                     "I will change my practice as a result of this activity.",
                     "Overall, how would you rate this activity?"]:
        page.get_by_role("group", name=question).get_by_text("5 · ").click()
    page.get_by_label("What will you change?").fill(change)
    page.get_by_role("group", name="The content was free of commercial bias.").get_by_text(
        "Yes", exact=True).click()
    page.get_by_role("button", name="Submit evaluation").click()
