"""A clinician's own transcript as CSV (the download on the transcript page)."""
from django import forms
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from credits.ledger.forms import TranscriptFilterForm
from credits.ledger.transcript import transcript_for
from credits.reports.exporters.base import Exporter, ExportFormat

HEADER = ("Activity", "Provider", "Completed on", "Claimed on", "Credit type", "Amount",
          "Source", "Status", "Void reason", "Certificate code", "Certificate verification link")


class TranscriptExportForm(TranscriptFilterForm):
    # Set by the view to the signed-in clinician, never taken from the request.
    learner = forms.ModelChoiceField(queryset=User.objects.all())


class TranscriptExporter(Exporter):
    identifier = "transcript"
    title = "Transcript"
    description = "A clinician's credit records with provider, dates, type, amount and status."
    form_class = TranscriptExportForm
    formats = (ExportFormat.CSV,)
    filename_stem = "transcript"

    def filename(self, fmt: str, filters: dict) -> str:
        return f"{self.filename_stem}-{timezone.localdate():%Y-%m-%d}.{fmt}"

    def _transcript(self, filters: dict):
        form = TranscriptFilterForm(filters)
        return transcript_for(user=filters["learner"], filters=form.filters())

    def estimate_rows(self, filters: dict) -> int:
        return len(self._transcript(filters).records)

    def rows(self, filters: dict):
        yield HEADER
        for record in self._transcript(filters).records:
            provider = (record.external_activity.provider if record.external_activity_id
                        else settings.HOSPITAL_NAME)
            title = record.course.title if record.course_id else record.external_activity.title
            yield (title, provider, record.completed_on.isoformat(),
                   timezone.localdate(record.claimed_at).isoformat(),
                   record.get_credit_type_display(), f"{record.amount:.2f}",
                   record.get_source_display(), record.get_status_display(), record.void_reason,
                   record.certificate.code_display if record.certificate else "",
                   record.certificate.verification_url if record.certificate else "")
