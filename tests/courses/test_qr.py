"""QR codes as a phone's camera reads them (zbarimg on the rendered page): the certificate's,
by its fast and its full render, and the check-in display's SVG."""
import subprocess

import pytest
import weasyprint
from django.urls import reverse

from courses.qr import dark_runs, qr_modules, qr_svg
from credits.certificates.rendering import render_pdf, render_pdf_full
from tests.credits.certificates.certificate_helpers import sample_content
from tests.factories import CourseFactory, SessionFactory


def _scanned(pdf: bytes, tmp_path) -> str:
    (tmp_path / "page.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(tmp_path / "page.pdf"),
                    str(tmp_path / "page")], check=True)
    return subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")],
                          check=True, capture_output=True, text=True).stdout.strip()


def test_the_modules_are_a_square_with_the_three_finder_patterns():
    rows = qr_modules("https://cpd.hospital.example/certificates/verify/K7Q2M9XD3HCT8WNF/")
    size = len(rows)
    assert size == 33 and all(len(row) == size for row in rows)  # version 4 at level M
    assert set(b"".join(rows)) == {0, 255}
    for top, left in ((0, 0), (0, size - 7), (size - 7, 0)):
        assert rows[top][left:left + 7] == bytes(7)  # the finder's dark top edge
        assert rows[top + 1][left + 1:left + 6] == bytes([255]) * 5
    assert list(dark_runs(bytes([0, 0, 255, 0, 255, 255, 0]))) == [(0, 2), (3, 1), (6, 1)]


@pytest.mark.parametrize("render", [render_pdf, render_pdf_full])
def test_a_certificate_s_code_scans_to_its_verification_url(render, tmp_path):
    content = sample_content()
    assert _scanned(render(content), tmp_path) == content.verification_url


def test_the_check_in_display_s_code_scans_to_the_check_in_url(client, educator, settings,
                                                               tmp_path):
    session = SessionFactory(course=CourseFactory(directors=[educator]))
    client.force_login(educator)
    page = client.get(reverse("attendance:checkin_display", args=[session.pk])).content.decode()
    svg = page[page.index("<svg"):page.index("</svg>") + len("</svg>")]
    url = f"{settings.SITE_URL}/checkin/{session.checkin_code}/"
    assert f"<title>QR code for {url}</title>" in svg
    pdf = weasyprint.HTML(string=f"<body>{svg}</body>").write_pdf()
    assert _scanned(pdf, tmp_path) == url


def test_a_title_is_escaped():
    svg = qr_svg("https://example.org/", scale=1, border=0, title='<script>"x"</script>')
    assert "<script>" not in svg and "&lt;script&gt;" in svg
