"""Lesson Markdown to safe HTML: markdown-it-py (CommonMark + tables) with raw HTML switched
off, then nh3 (ammonia) keeps only the tags and URL schemes a lesson needs, so a pasted
`<script>`, an `onerror=` or a `javascript:` link can never reach a learner's browser."""
import re

import nh3
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
}


# Table column alignment arrives as a style attribute, which the strict CSP (no inline styles)
# would refuse with a console error; it becomes one of the portal's classes instead.
_ALIGN_STYLE = re.compile(r' style="text-align:(left|center|right)"')
ALIGN_CLASSES = {"align-left", "align-center", "align-right"}


def _demote_headings(html: str) -> str:
    # The lesson title is the page's h1; a "# heading" in the body becomes h2.
    return html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")


def render_lesson_markdown(text: str) -> str:
    html = _demote_headings(_parser.render(text or ""))
    html = _ALIGN_STYLE.sub(r' class="align-\1"', html)
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
        allowed_classes={"th": ALIGN_CLASSES, "td": ALIGN_CLASSES},
        url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")
