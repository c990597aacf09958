"""Page templates carry no inline code, so the strict Content-Security-Policy can never block
part of a page: no style attributes or <style> elements, no on* handlers, hx-on or javascript:
links, no inline <script> bodies. Emails and the WeasyPrint PDF layouts (`*pdf.html`) are exempt:
neither is served to a browser under the page CSP, and mail clients need inline styles."""
import re

import pytest

from tests.conftest import PROJECT_ROOT

TEMPLATES = PROJECT_ROOT / "templates"
PAGE_TEMPLATES = sorted(path for path in TEMPLATES.rglob("*.html")
                        if path.relative_to(TEMPLATES).parts[0] != "emails"
                        and not path.name.endswith("pdf.html"))

# Django comments may mention what they avoid; they never reach the browser.
COMMENT = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)
SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
FORBIDDEN = [
    (re.compile(r"<[a-z][^>]*\sstyle\s*=", re.S | re.I), "a style= attribute"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.S | re.I), "an inline on* event handler"),
    (re.compile(r"\shx-on[:-]", re.I), "an hx-on attribute (needs eval)"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def inline_code_problems(text: str) -> list[str]:
    text = COMMENT.sub("", text)
    problems = []
    for pattern, what in FORBIDDEN:
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"line {line}: {what}")
    for match in SCRIPT.finditer(text):
        attrs, body = match["attrs"], match["body"]
        data_block = re.search(r"type\s*=\s*[\"']application/(ld\+)?json", attrs, re.I)
        if body.strip() and not data_block:
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"line {line}: an inline <script> body (move it to static/js/)")
        if not body.strip() and not re.search(r"\ssrc\s*=", attrs, re.I):
            problems.append("an empty <script> without src")
    return problems


def test_page_templates_are_found():
    assert len(PAGE_TEMPLATES) > 50
    assert TEMPLATES / "base.html" in PAGE_TEMPLATES


@pytest.mark.parametrize("snippet, expected", [
    ('<input onfocus="this.select()">', "inline on* event handler"),
    ('<span class="bar" style="width: 40%"></span>', "style= attribute"),
    ("<style>.x{}</style>", "<style> element"),
    ("<script>\n  htmx.config.x = 1;\n</script>", "inline <script> body"),
    ('<button hx-on:click="go()">', "hx-on attribute"),
    ('<a href="javascript:void(0)">', "javascript: URL"),
])
def test_the_scan_catches_each_kind_of_inline_code(snippet, expected):
    assert any(expected in problem for problem in inline_code_problems(snippet))


def test_the_scan_allows_external_scripts_data_blocks_and_ordinary_words():
    assert inline_code_problems(
        '<script src="/static/js/portal.js" defer></script>'
        '<script type="application/json" id="data">{"a": 1}</script>'
        '<p class="lesson">Reason on admission: "stable"</p>'
        '{% comment %}no style="x" here{% endcomment %}') == []


@pytest.mark.parametrize("path", PAGE_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_page_template_has_no_inline_code(path):
    problems = inline_code_problems(path.read_text(encoding="utf-8"))
    assert not problems, (
        f"{path.relative_to(PROJECT_ROOT)} would break under the page CSP: {'; '.join(problems)}. "
        "Use a class in static/css/portal.css and a listener in static/js/ (docs/security.md).")
