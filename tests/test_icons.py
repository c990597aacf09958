"""The portal's mark as the browser tab's icon and the home-screen icon: /favicon.ico answers
(browsers ask for it whatever a page links), and every page, error pages included, links the
SVG, the ICO and the 180x180 touch icon."""
import io
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db

ICON_LINKS = re.compile(r'<link rel="(icon|apple-touch-icon)" href="([^"]+)"[^>]*>')


def test_favicon_ico_answers_at_the_site_root_under_the_same_policy(client):
    page = client.get(reverse("courses:catalog"))

    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    icon = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32), (48, 48)} <= icon.info["sizes"]
    assert response["Content-Security-Policy"] == page["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/courses/", "/no-such-page/"])
def test_pages_and_error_pages_link_the_icons(client, path):
    html = client.get(path).content.decode()
    links = ICON_LINKS.findall(html)

    assert [(rel, href.rsplit("/", 1)[-1]) for rel, href in links] == [
        ("icon", "favicon.ico"), ("icon", "favicon.svg"),
        ("apple-touch-icon", "apple-touch-icon.png")]
    assert 'type="image/svg+xml"' in html


def test_the_linked_static_icons_are_the_mark_at_their_sizes():
    svg = Path(finders.find("img/favicon.svg")).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and 'fill="#1a4f8b"' in svg
    with Image.open(finders.find("img/apple-touch-icon.png")) as touch:
        assert (touch.format, touch.size) == ("PNG", (180, 180))
        # Opaque: iOS would draw a transparent corner black.
        assert touch.mode == "RGB"
        assert touch.getpixel((0, 0)) == (0x1A, 0x4F, 0x8B)
