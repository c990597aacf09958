import re

from courses.lessons.markdown import render_lesson_markdown


def test_script_tags_event_handlers_and_javascript_links_render_harmlessly():
    html = render_lesson_markdown(
        "# Dosing\n\n<script>alert('x')</script>\n\n"
        "[click](javascript:alert(1)) and <img src=x onerror=alert(1)>\n\n"
        '<a href="https://example.org" onclick="steal()">site</a>\n\n'
        "![diagram](javascript:alert(2))")
    tags = re.findall(r"<[^>]+>", html.lower())
    assert not [tag for tag in tags if tag.startswith("<script")]
    assert not [tag for tag in tags if "javascript:" in tag]
    assert not [tag for tag in tags if re.search(r"\bon[a-z]+=", tag)]
    assert not [tag for tag in tags if tag.startswith("<img")]  # the raw <img> is text only
    assert "&lt;script&gt;" in html  # shown as text, never run


def test_headings_lists_tables_and_links_survive():
    html = render_lesson_markdown(
        "# Title\n\n- one\n- two\n\n| Opioid | Factor |\n| --- | --- |\n| Oxycodone | 1.5 |\n\n"
        "[CDC](https://www.cdc.gov/)")
    assert "<h2>Title</h2>" in html
    assert "<li>one</li>" in html
    assert "<td>Oxycodone</td>" in html
    assert 'href="https://www.cdc.gov/"' in html
    assert 'rel="noopener noreferrer"' in html


def test_table_column_alignment_becomes_a_class_not_an_inline_style():
    # The strict CSP refuses style attributes; an aligned column must still line up.
    html = render_lesson_markdown("| Drug | Dose |\n|:--|--:|\n| Naloxone | 0.4 mg |")
    assert 'style=' not in html
    assert '<th class="align-left">Drug</th>' in html
    assert '<td class="align-right">0.4 mg</td>' in html

