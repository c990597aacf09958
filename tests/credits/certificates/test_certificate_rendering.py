"""The certificate PDF itself: fast path and full WeasyPrint render print the same facts."""
import io

import pytest
from pypdf import PdfReader

from credits.certificates.rendering import render_pdf, render_pdf_full, sample_content

POINTS_PER_INCH = 72


def _text(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_fast_path_prints_what_the_full_render_prints():
    content = sample_content(learner_name="Zoë O’Brien-Núñez, MD")
    fast, full = _text(render_pdf(content)), _text(render_pdf_full(content))
    for fact in ("Zoë O’Brien-Núñez, MD", "Medical Grand Rounds", "1.50",
                 "AMA PRA Category 1 Credits™", "K7Q2-M9XD-3HCT-8WNF", "20 November 2026",
                 "21 November 2026"):
        assert fact in fast and fact in full


def test_name_outside_the_fast_fonts_is_printed_by_a_full_render():
    pdf = render_pdf(sample_content(learner_name="Łukasz Żółkiewski, MD"))
    assert "Łukasz Żółkiewski, MD" in _text(pdf)


def test_every_certificate_is_a_well_formed_single_page_under_100_kb():
    pdf = render_pdf(sample_content(
        learner_name="Maximiliana Alexandra Bartholomew-Fitzgerald-Worthington, DNP"))
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    assert reader.metadata.title.startswith("Certificate")
    assert len(reader.pages) == 1 and len(pdf) <= 100 * 1024


@pytest.mark.parametrize(("page_size", "width_in", "height_in"),
                         [("Letter", 11, 8.5), ("A4", 11.69, 8.27)])
def test_page_size_follows_the_setting_in_landscape(settings, page_size, width_in, height_in):
    settings.CERTIFICATE_PAGE_SIZE = page_size
    box = PdfReader(io.BytesIO(render_pdf(sample_content()))).pages[0].mediabox
    assert float(box.width) == pytest.approx(width_in * POINTS_PER_INCH, abs=1)
    assert float(box.height) == pytest.approx(height_in * POINTS_PER_INCH, abs=1)
