"""Certificate PDFs: the HTML/CSS template laid out by WeasyPrint, and drawn fast per learner.

WeasyPrint spends nearly all of a certificate's time on layout and font subsetting, and both
depend only on the activity (title, dates, credits, statement), not on the learner. So each
worker process lays an activity's page out once with the learner's slots empty
(`templates/credits/certificates/pdf.html`, elements with `data-slot`), keeps that PDF and the
position of every slot, and for each learner appends a PDF incremental update: one small
content stream drawing the name, dates, verification code and QR code into those boxes with
fonts embedded once per process. Text that the embedded fonts cannot show (a name outside
Windows-1252) falls back to a full WeasyPrint render of the same template. docs/certificates.md
("How a render is fast") and docs/decisions/0006-incremental-pdf-certificates.md.

Longer than the house's ~400 lines on purpose: the font embedding, the cached activity layout
and the incremental update are one mechanism sharing object numbers and slot geometry; split
apart, each module would reach into the others' internals.
"""
from __future__ import annotations

import atexit
import base64
import hashlib
import io
import os
import re
import tempfile
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from threading import Lock

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from courses.qr import dark_runs, qr_modules, qr_svg

TEMPLATE = "credits/certificates/pdf.html"
FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts" / "eb-garamond"
FONT_FILES = {
    "regular": "eb-garamond-latin-400-normal.woff2",
    "italic": "eb-garamond-latin-400-italic.woff2",
    "bold": "eb-garamond-latin-600-normal.woff2",
}
# The slots drawn per learner; everything else on the page belongs to the activity.
LEARNER_FIELDS = ("learner_name", "completion_date", "issue_date", "verification_code",
                  "verification_url")
FONT_PREPARATION_VERSION = b"1"  # bump when _prepared_ttf changes what it builds
OVERLAY_ENCODING = "cp1252"  # PDF WinAnsiEncoding: Latin names, curly quotes, dashes, ™
CSS_PX_TO_PT = 0.75
# Usable height inside the page margins, so the frame fills the landscape page.
FRAME_HEIGHT = {"Letter": "7.7in", "A4": "7.47in"}
LAYOUT_CACHE_SIZE = 16  # bounded so a worker's memory stays flat over any number of activities


@dataclass(frozen=True)
class CertificateContent:
    """Everything printed on one certificate, already worded; `language` words the template's
    fixed text."""

    language: str
    hospital_name: str
    learner_name: str
    activity_kind: str
    activity_title: str
    activity_dates: str
    credits: tuple[tuple[str, str], ...]  # (amount, unit) pairs, e.g. ("1.50", "AMA PRA ...™")
    ama_statement: str
    completion_date: str
    issue_date: str
    verification_code: str
    verification_url: str
    signatory: str = "Director, Continuing Professional Development"

    def activity_key(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__dataclass_fields__
                     if name not in LEARNER_FIELDS) + (settings.CERTIFICATE_PAGE_SIZE,
                                                       str(settings.CERTIFICATE_LOGO))


def qr_svg_data_uri(url: str) -> str:
    svg = qr_svg(url, scale=4, border=0, colour="#1d2a3a")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


# ---------------------------------------------------------------------------------------------
# Fonts: decoded and trimmed once per process.

@dataclass
class EmbeddedFont:
    """A TrueType font trimmed to Windows-1252 text, ready to embed as a simple PDF font."""

    ttf: bytes
    widths: list[int]  # advance per code 32..255 in 1/1000 em
    encodable: frozenset[str]
    base_font: str
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cap_height: int
    italic_angle: float

    def text_width(self, text: str, size: float) -> float:
        data = text.encode(OVERLAY_ENCODING)
        return sum(self.widths[byte - 32] for byte in data if byte >= 32) * size / 1000


@cache
def _font_folder() -> Path:
    """Prepared fonts, kept between processes: only the first worker on a machine builds them."""
    folder = Path(settings.VAR_DIR) / "cache" / "certificate-fonts"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix="cpd-certificate-fonts-"))
    return folder


@cache
def _prepared_ttf_path(face: str) -> Path:
    """Decode the shipped WOFF2, keep the glyphs of Windows-1252, drop hinting."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    source = (FONT_DIR / FONT_FILES[face]).read_bytes()
    digest = hashlib.sha256(source + FONT_PREPARATION_VERSION).hexdigest()[:16]
    cached = _font_folder() / f"{face}-{digest}.ttf"
    if cached.exists():
        return cached
    cp1252_chars = {bytes([code]).decode(OVERLAY_ENCODING, errors="ignore")
                    for code in range(32, 256)} - {""}
    font = TTFont(io.BytesIO(source))
    options = subset.Options(hinting=False, layout_features=["kern", "liga"], notdef_outline=True,
                             name_IDs=[1, 2, 4, 6], drop_tables=["DSIG", "FFTM"])
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(char) for char in cp1252_chars])
    subsetter.subset(font)
    font.flavor = None
    buffer = io.BytesIO()
    font.save(buffer)
    # Write then rename, so a second worker starting at the same moment never reads half a file.
    partial = cached.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(buffer.getvalue())
    partial.replace(cached)
    return cached


@cache
def embedded_font(face: str) -> EmbeddedFont:
    """A shipped face as one TTF, serving WeasyPrint (@font-face) and the per-learner overlay."""
    from fontTools.ttLib import TTFont

    ttf = _prepared_ttf_path(face).read_bytes()
    font = TTFont(io.BytesIO(ttf))
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    units = font["head"].unitsPerEm
    scale = 1000 / units
    widths, encodable = [], set()
    for code in range(32, 256):
        char = bytes([code]).decode(OVERLAY_ENCODING, errors="ignore")
        glyph = cmap.get(ord(char)) if char else None
        if glyph:
            encodable.add(char)
        widths.append(round(hmtx[glyph][0] * scale) if glyph else 0)
    head, hhea = font["head"], font["hhea"]
    postscript_name = re.sub(r"[^A-Za-z0-9-]", "", font["name"].getDebugName(6) or face)
    return EmbeddedFont(
        ttf=ttf, widths=widths, encodable=frozenset(encodable),
        base_font=f"CPDCRT+{postscript_name}",
        bbox=tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),
        ascent=round(hhea.ascent * scale), descent=round(hhea.descent * scale),
        cap_height=round(getattr(font["OS/2"], "sCapHeight", 0) * scale) or 650,
        italic_angle=float(font["post"].italicAngle),
    )


@cache
def font_urls() -> dict[str, str]:
    urls = {face: _prepared_ttf_path(face).as_uri() for face in FONT_FILES}
    # Only full renders reach these glyphs; WeasyPrint decodes each WOFF2 once per process.
    urls.update({f"{face}_extended": (FONT_DIR / name.replace("-latin-", "-latin-ext-")).as_uri()
                 for face, name in FONT_FILES.items()})
    return urls


@cache
def _font_configuration():
    from weasyprint.text.fonts import FontConfiguration

    # Dropped at exit, while the modules its clean-up uses are still there: left to the
    # interpreter's teardown, it fails to remove its font folder and prints a traceback.
    atexit.register(_font_configuration.cache_clear)
    return FontConfiguration()  # one per process: @font-face files are loaded once


# ---------------------------------------------------------------------------------------------
# The full WeasyPrint render (layout of an activity, and the fallback for any certificate).

def certificate_html(content: CertificateContent, *, learner_slots: bool = True) -> str:
    """The certificate as HTML; without learner slots their boxes stay empty (same size)."""
    logo = Path(settings.CERTIFICATE_LOGO)
    context = {
        "fonts": font_urls(),
        "page_size": settings.CERTIFICATE_PAGE_SIZE,
        "frame_height": FRAME_HEIGHT.get(settings.CERTIFICATE_PAGE_SIZE, "7.47in"),
        "logo_url": logo.as_uri(),
        "hospital_name": content.hospital_name,
        "activity_kind": content.activity_kind,
        "activity_title": content.activity_title,
        "activity_dates": content.activity_dates,
        "credits": [{"amount": amount, "unit": unit} for amount, unit in content.credits],
        "statements": [paragraph for paragraph in content.ama_statement.split("\n\n")
                       if paragraph],
        "signatory": content.signatory,
    }
    if learner_slots:
        context.update(learner_name=content.learner_name,
                       completion_date=content.completion_date, issue_date=content.issue_date,
                       verification_code=content.verification_code,
                       qr_data_uri=qr_svg_data_uri(content.verification_url))
    with translation.override(content.language):
        context["verify_hint"] = _("Verify at %(url)s") % {
            "url": f"{settings.SITE_URL}/certificates/verify/"}
        return render_to_string(TEMPLATE, context)


def _weasyprint_document(html: str):
    import weasyprint

    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        font_config=_font_configuration())


def render_pdf_full(content: CertificateContent) -> bytes:
    """Plain WeasyPrint, one certificate: the reference the fast path must look like."""
    return _weasyprint_document(certificate_html(content)).write_pdf()


# ---------------------------------------------------------------------------------------------
# The fast path: an activity's page laid out once, learners drawn into its slots.

@dataclass
class Slot:
    x: float  # left edge in PDF points
    top: float  # top edge, PDF points from the bottom of the page
    width: float
    height: float
    size: float  # font size in points
    face: str
    align: str
    colour: tuple[float, float, float]


@dataclass
class ActivityLayout:
    """One activity's page without learner text: PDF bytes, slot boxes, objects to append."""

    pdf: bytes
    slots: dict[str, Slot]
    page_ref: str
    page_dict_template: bytes  # the page object with the overlay content as %(content)d
    root_ref: str
    trailer_extra: bytes  # /Info and /ID of the laid-out PDF, repeated as the format requires
    size: int
    startxref: int
    font_objects: dict[str, int] = field(default_factory=dict)
    constant_objects: bytes = b""
    constant_offsets: list[tuple[int, int]] = field(default_factory=list)


def _walk(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _walk(child)


def _slots(page) -> dict[str, Slot]:
    page_height = page.height * CSS_PX_TO_PT
    slots: dict[str, Slot] = {}
    for box in _walk(page._page_box):
        element = getattr(box, "element", None)
        name = element.get("data-slot") if element is not None else None
        if not name or name in slots or not hasattr(box, "content_box_x"):
            continue
        style = box.style
        colour = style["color"]
        weight = style["font_weight"]
        face = "bold" if isinstance(weight, int) and weight >= 600 else (
            "italic" if style["font_style"] == "italic" else "regular")
        align = style["text_align_all"]
        slots[name] = Slot(
            x=box.content_box_x() * CSS_PX_TO_PT,
            top=page_height - box.content_box_y() * CSS_PX_TO_PT,
            width=box.width * CSS_PX_TO_PT, height=box.height * CSS_PX_TO_PT,
            size=style["font_size"] * CSS_PX_TO_PT, face=face,
            align=align if align in ("left", "right", "center") else "left",
            colour=tuple(colour.to("srgb").coordinates),
        )
    return slots


def _pdf_string(text: str) -> bytes:
    data = text.encode(OVERLAY_ENCODING)
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _font_objects(first_number: int) -> tuple[dict[str, int], list[bytes]]:
    """Font dictionary, descriptor and file for each face: object numbers and bodies."""
    numbers, bodies = {}, []
    number = first_number
    for face in ("regular", "bold"):
        font = embedded_font(face)
        compressed = zlib.compress(font.ttf, 9)
        file_body = (b"<< /Length %d /Length1 %d /Filter /FlateDecode >>\nstream\n"
                     % (len(compressed), len(font.ttf)) + compressed + b"\nendstream")
        descriptor_body = (
            b"<< /Type /FontDescriptor /FontName /%s /Flags 34 /FontBBox [%d %d %d %d] "
            b"/ItalicAngle %s /Ascent %d /Descent %d /CapHeight %d /StemV 80 /FontFile2 %d 0 R >>"
            % (font.base_font.encode(), *font.bbox, str(font.italic_angle).encode(), font.ascent,
               font.descent, font.cap_height, number + 2))
        font_body = (
            b"<< /Type /Font /Subtype /TrueType /BaseFont /%s /FirstChar 32 /LastChar 255 "
            b"/Widths [%s] /Encoding /WinAnsiEncoding /FontDescriptor %d 0 R >>"
            % (font.base_font.encode(), " ".join(map(str, font.widths)).encode(), number + 1))
        numbers[face] = number
        bodies += [font_body, descriptor_body, file_body]
        number += 3
    return numbers, bodies


def _build_layout(content: CertificateContent) -> ActivityLayout:
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    document = _weasyprint_document(certificate_html(content, learner_slots=False))
    if len(document.pages) != 1:
        raise ValueError("The certificate template must fit on one page.")
    slots = _slots(document.pages[0])
    pdf = document.write_pdf()

    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    size = int(reader.trailer["/Size"])
    font_numbers, font_bodies = _font_objects(size)
    # WeasyPrint's page stream leaves its flipped, scaled matrix in place: wrap it in q ... Q so
    # the overlay draws in plain PDF points.
    save_number = size + len(font_bodies)
    font_bodies.append(b"<< /Length 2 >>\nstream\nq\n\nendstream")
    content_number = save_number + 1

    resources = DictionaryObject(page["/Resources"].get_object())
    fonts = DictionaryObject(resources.get("/Font", DictionaryObject()).get_object())
    for face, number in font_numbers.items():
        fonts[NameObject(f"/CPD{face.title()}")] = IndirectObject(number, 0, reader)
    resources[NameObject("/Font")] = fonts
    new_page = DictionaryObject(page.get_object())
    new_page[NameObject("/Resources")] = resources
    contents = page.get_object().raw_get("/Contents")
    existing = list(contents) if isinstance(contents, ArrayObject) else [contents]
    new_page[NameObject("/Contents")] = ArrayObject([
        IndirectObject(save_number, 0, reader), *existing,
        IndirectObject(content_number, 0, reader)])
    page_stream = io.BytesIO()
    new_page.write_to_stream(page_stream)
    startxref = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    trailer_extra = io.BytesIO()
    for key in ("/Info", "/ID"):
        if key in reader.trailer:
            trailer_extra.write(b" " + key.encode() + b" ")
            reader.trailer.raw_get(key).write_to_stream(trailer_extra)
    layout = ActivityLayout(
        pdf=pdf, slots=slots, page_ref=str(page.indirect_reference.idnum),
        page_dict_template=page_stream.getvalue(),
        root_ref=str(reader.trailer.raw_get("/Root").idnum),
        trailer_extra=trailer_extra.getvalue(),
        size=content_number + 1, startxref=startxref, font_objects=font_numbers)
    # Fonts are the same bytes for every learner: serialise them once.
    body = bytearray(b"\n")
    for offset_number, object_body in enumerate(font_bodies, start=size):
        layout.constant_offsets.append((offset_number, len(body)))
        body += b"%d 0 obj\n" % offset_number + object_body + b"\nendobj\n"
    layout.constant_objects = bytes(body)
    return layout


class _LayoutCache:
    """Per-process, bounded: the most recently used activity layouts."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self.entries: OrderedDict[tuple, ActivityLayout] = OrderedDict()
        self.lock = Lock()

    def get(self, content: CertificateContent) -> ActivityLayout:
        key = content.activity_key()
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        layout = _build_layout(content)
        with self.lock:
            self.entries[key] = layout
            while len(self.entries) > self.capacity:
                self.entries.popitem(last=False)
        return layout


layouts = _LayoutCache(LAYOUT_CACHE_SIZE)


def _text_operators(slot: Slot, text: str) -> bytes:
    font = embedded_font(slot.face)
    size = slot.size
    width = font.text_width(text, size)
    while width > slot.width and size > 6:  # a very long name shrinks rather than overflows
        size *= 0.94
        width = font.text_width(text, size)
    if slot.align == "center":
        x = slot.x + (slot.width - width) / 2
    elif slot.align == "right":
        x = slot.x + slot.width - width
    else:
        x = slot.x
    # Baseline a third of the font size below the middle of the box: optical centring.
    baseline = slot.top - slot.height / 2 - size * 0.3
    return b"BT /CPD%s %.2f Tf %.3f %.3f %.3f rg %.2f %.2f Td %s Tj ET\n" % (
        slot.face.title().encode(), size, *slot.colour, x, baseline, _pdf_string(text))


def _qr_operators(slot: Slot, url: str) -> bytes:
    rows = qr_modules(url)
    unit = min(slot.width, slot.height) / len(rows)
    parts = [b"q %.3f %.3f %.3f rg %.4f 0 0 %.4f %.2f %.2f cm\n" % (
        *slot.colour, unit, -unit, slot.x, slot.top)]
    parts += [b"%d %d %d 1 re " % (start, number, length)
              for number, row in enumerate(rows) for start, length in dark_runs(row)]
    parts.append(b"f Q\n")
    return b"".join(parts)


def _fits_embedded_fonts(content: CertificateContent) -> bool:
    texts = (content.learner_name, content.completion_date, content.issue_date,
             content.verification_code)
    return all(set(text) <= embedded_font("bold").encodable & embedded_font("regular").encodable
               for text in texts)


def render_pdf(content: CertificateContent) -> bytes:
    """The certificate PDF: the activity's cached page plus this learner's overlay."""
    if not _fits_embedded_fonts(content):
        return render_pdf_full(content)
    layout = layouts.get(content)
    slots = layout.slots
    drawing = b"Q q\n" + b"".join([
        _text_operators(slots["learner_name"], content.learner_name),
        _text_operators(slots["completion_date"], content.completion_date),
        _text_operators(slots["issue_date"], content.issue_date),
        _text_operators(slots["verification_code"], content.verification_code),
        _qr_operators(slots["qr"], content.verification_url),
    ]) + b"Q\n"
    compressed = zlib.compress(drawing, 6)
    base = len(layout.pdf)
    update = bytearray(layout.constant_objects)
    offsets = {number: base + offset for number, offset in layout.constant_offsets}
    content_number = layout.size - 1
    offsets[content_number] = base + len(update)
    update += (b"%d 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n"
               % (content_number, len(compressed)) + compressed + b"\nendstream\nendobj\n")
    page_number = int(layout.page_ref)
    offsets[page_number] = base + len(update)
    update += b"%d 0 obj\n" % page_number + layout.page_dict_template + b"\nendobj\n"
    xref_offset = base + len(update)
    # Entry 0 (the head of the free list) repeated, as Acrobat writes updates: strict readers
    # expect every cross-reference section to start there.
    update += b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (
        page_number, offsets[page_number])
    first_new = min(number for number in offsets if number != page_number)
    update += b"%d %d\n" % (first_new, layout.size - first_new)
    for number in range(first_new, layout.size):
        update += b"%010d 00000 n \n" % offsets[number]
    update += (b"trailer\n<< /Size %d /Root %s 0 R%s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
               % (layout.size, layout.root_ref.encode(), layout.trailer_extra, layout.startxref,
                  xref_offset))
    return layout.pdf + bytes(update)


__all__ = ["CertificateContent", "render_pdf", "render_pdf_full"]
