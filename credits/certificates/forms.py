"""The education office's form to revoke a certificate."""
from django import forms


class CertificateRevokeForm(forms.Form):
    reason = forms.CharField(
        label="Reason", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the revocation for audit; not shown on the public verification "
                  "page.",
        error_messages={"required": "Give the reason for revoking this certificate."})
