"""The transcript as a PDF (WeasyPrint), rendered in the request: a transcript is a few pages
at most, so the learner gets it at once instead of waiting for a background job."""
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from credits.ledger.transcript import Transcript

ROWS_PER_PAGE = 16
# Beyond this the PDF takes too long to render inside a web request; the learner is asked to
# narrow the date range (the CSV has no limit).
MAX_PDF_ROWS = 320


def transcript_pdf(transcript: Transcript) -> bytes:
    # Imported here: WeasyPrint loads fonts and its stylesheets on import, which every web and
    # worker process would otherwise pay at start-up.
    from weasyprint import HTML

    records = transcript.records
    pages = [records[i:i + ROWS_PER_PAGE] for i in range(0, len(records), ROWS_PER_PAGE)] or [[]]
    html = render_to_string("credits/ledger/transcript_pdf.html", {
        "transcript": transcript, "learner": transcript.user, "pages": pages,
        "page_count": len(pages), "generated_at": timezone.localtime(),
        "HOSPITAL_NAME": settings.HOSPITAL_NAME, "SITE_NAME": settings.SITE_NAME,
    })
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
